package gatehouse.local;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./gatehouse up}: the whole suite on one machine, in the foreground. Starts a Kafka broker,
 * finds or starts PostgreSQL, starts the four services, prints the gateway URL and the admin
 * secret, and stops everything it started on Ctrl-C or SIGTERM. A service that dies is restarted on
 * its port with its configuration ({@link Supervisor}), while the others keep running: a crashed
 * control service must not take the gateway (the data plane) down with it.
 */
public final class Launcher {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private Launcher() {}

    public static void main(String[] args) {
        if (args.length > 0 && "audit".equals(args[0])) {
            System.exit(
                    AuditCommand.fromEnvironment(
                            java.util.Arrays.copyOfRange(args, 1, args.length),
                            System.out,
                            System.err));
        }
        if (args.length != 1 || !"up".equals(args[0])) {
            System.err.println("usage: ./gatehouse up | ./gatehouse audit log|state|verify");
            System.exit(2);
        }
        try {
            up();
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("gatehouse: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * The secret keys are stored under: GATEHOUSE_KEY_DIGEST_SECRET, else one generated once and
     * kept in {@code $GATEHOUSE_HOME/key-digest-secret}, so keys stay valid across restarts even
     * when the admin secret is generated per run.
     */
    private static String keyDigestSecret(Path home) {
        return kept(
                home,
                "GATEHOUSE_KEY_DIGEST_SECRET",
                "key-digest-secret",
                () -> {
                    byte[] random = new byte[32];
                    new SecureRandom().nextBytes(random);
                    return HexFormat.of().formatHex(random);
                });
    }

    /**
     * The audit checkpoints' signing key: GATEHOUSE_AUDIT_SIGNING_KEY, else one generated once and
     * kept in {@code $GATEHOUSE_HOME/audit-signing-key}: checkpoints signed before a restart must
     * still verify after it.
     */
    private static String auditSigningKey(Path home) {
        return kept(
                home,
                "GATEHOUSE_AUDIT_SIGNING_KEY",
                "audit-signing-key",
                Suite::newAuditSigningKey);
    }

    /** A secret from the environment, else from its file in the home, made once when missing. */
    private static String kept(
            Path home, String variable, String name, java.util.function.Supplier<String> generate) {
        String configured = setting(variable, null);
        if (configured != null) {
            return configured;
        }
        Path file = home.resolve(name);
        try {
            if (java.nio.file.Files.exists(file)) {
                return java.nio.file.Files.readString(file).trim();
            }
            String secret = generate.get();
            java.nio.file.Files.createDirectories(home);
            java.nio.file.Files.writeString(file, secret);
            // only the owner may read it; a file system without POSIX permissions keeps its
            // defaults
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                java.nio.file.Files.setPosixFilePermissions(
                        file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            }
            return secret;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(
                    "cannot keep the " + name + " in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Referenced for the life of the process: a collected channel would release the lock. */
    private static HomeLock homeLock;

    private static void up() {
        Path root = Path.of(System.getProperty("gatehouse.root", ".")).toAbsolutePath().normalize();
        Path home =
                Path.of(
                        setting(
                                "GATEHOUSE_HOME",
                                Path.of(System.getProperty("user.home"), ".gatehouse").toString()));
        int port = parsePort(setting("GATEHOUSE_HTTP_PORT", "8080"));
        String secret = setting("TYK_GW_SECRET", null);
        boolean generated = secret == null;
        if (generated) {
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            secret = HexFormat.of().formatHex(random);
        }
        int dashboardPort =
                parsePort("GATEHOUSE_DASHBOARD_PORT", setting("GATEHOUSE_DASHBOARD_PORT", "3000"));
        String dashboardSecret = setting("GATEHOUSE_DASHBOARD_ADMIN_SECRET", null);
        boolean dashboardGenerated = dashboardSecret == null;
        if (dashboardGenerated) {
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            dashboardSecret = HexFormat.of().formatHex(random);
        }
        if (Ports.inUse(dashboardPort)) {
            throw new IllegalStateException(
                    "port "
                            + dashboardPort
                            + " is already in use: stop what holds it, "
                            + "or set GATEHOUSE_DASHBOARD_PORT to a free port");
        }
        if (Ports.inUse(port)) {
            throw new IllegalStateException(
                    "port "
                            + port
                            + " is already in use: stop what holds it, "
                            + "or set GATEHOUSE_HTTP_PORT to a free port");
        }

        // held until this process ends: the broker and the services below write into the home
        homeLock = HomeLock.take(home);
        long start = System.nanoTime();
        // PostgreSQL first: a server that refuses us is reported before anything else starts
        PostgresServer postgres = PostgresServer.locate(home.resolve("postgres"), false);
        System.out.println(
                "gatehouse: PostgreSQL "
                        + (postgres.isEmbedded()
                                ? "embedded (data in " + home.resolve("postgres") + ")"
                                : postgres.jdbcUrl("")));
        System.out.println("gatehouse: starting Kafka (data in " + home.resolve("kafka") + ")");
        KafkaBroker kafka;
        try {
            kafka = KafkaBroker.start(home.resolve("kafka"), Duration.ofSeconds(90));
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
        Suite suite =
                new Suite(
                                root,
                                home.resolve("logs"),
                                kafka.bootstrapServers(),
                                postgres,
                                secret,
                                keyDigestSecret(home))
                        .auditSigningKey(auditSigningKey(home));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    System.out.println("\ngatehouse: stopping");
                                    suite.close(); // closes the supervisor first: nothing is
                                    // restarted while we stop
                                    kafka.close();
                                    postgres.close();
                                    stopped.countDown();
                                },
                                "gatehouse-shutdown"));

        // each service is supervised once ready; one that fails while starting still stops the
        // launcher below
        suite.enableSupervision(Supervisor.Backoff.DEFAULT);
        try {
            Map<Suite.Owner, URI> owners = new EnumMap<>(Suite.Owner.class);
            for (Suite.Owner owner : Suite.Owner.values()) {
                System.out.println("gatehouse: starting " + owner.module);
                owners.put(
                        owner, suite.startOwner(owner, owner.defaultDatabase, START_TIMEOUT).url());
            }
            System.out.println("gatehouse: starting dashboard-service on port " + dashboardPort);
            Suite.Service dashboard =
                    suite.startDashboard(
                            dashboardPort, "gatehouse_dashboard", dashboardSecret, START_TIMEOUT);
            System.out.println("gatehouse: starting gateway-service on port " + port);
            Suite.Service gateway = suite.startGateway(port, owners, START_TIMEOUT);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%nGatehouse is ready in %.1f s%n", seconds);
            System.out.println("  gateway:      http://localhost:" + gateway.url().getPort());
            System.out.println(
                    "  admin secret: "
                            + secret
                            + (generated ? "   (generated; set TYK_GW_SECRET to choose one)" : ""));
            System.out.println("  dashboard:    http://localhost:" + dashboard.url().getPort());
            System.out.println(
                    "  dashboard admin secret (admin-auth): "
                            + dashboardSecret
                            + (dashboardGenerated
                                    ? "   (generated; set GATEHOUSE_DASHBOARD_ADMIN_SECRET to choose one)"
                                    : ""));
            int dashboardPortUsed = dashboard.url().getPort();
            System.out.println(
                    "  analytics:    http://127.0.0.1:"
                            + dashboardPortUsed
                            + "/analytics/#key=<a Dashboard user's access key>"
                            + "   (charts of GET /api/usage/apis/{dd}/{mm}/{yyyy}/{dd}/{mm}/{yyyy}"
                            + " and /api/usage/apis/{apiId}/...?res=hour, UTC days, end day included)");
            System.out.println("  logs:         " + home.resolve("logs"));
            System.out.println(
                    "  audit log:    ./gatehouse audit log | state --at <instant> | verify"
                            + "   (or GET /tyk/audit/events, /state, /verify)");
            System.out.println(
                    "  try:          curl -H 'x-tyk-authorization: "
                            + (generated ? secret : "$TYK_GW_SECRET")
                            + "' http://localhost:"
                            + gateway.url().getPort()
                            + "/tyk/apis");
            System.out.println(
                    "A service that dies is restarted (see the log above). Press Ctrl-C to stop.");
        } catch (RuntimeException e) {
            System.err.println("gatehouse: " + e.getMessage());
            System.exit(1);
        }
        awaitShutdown(stopped);
    }

    /**
     * Blocks until the shutdown hook has stopped everything; dying services are the supervisor's
     * business.
     */
    private static void awaitShutdown(CountDownLatch stopped) {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int parsePort(String value) {
        return parsePort("GATEHOUSE_HTTP_PORT", value);
    }

    private static int parsePort(String name, String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                name + " must be a port number (1-65535), not '" + value + "'");
    }

    private static String setting(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
