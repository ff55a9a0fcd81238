package gatehouse.local;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The services of the suite as processes on one machine, wired to one Kafka broker and one
 * PostgreSQL server. {@code ./gatehouse up} runs all four, supervised ({@link #enableSupervision});
 * the end-to-end tests start the ones they need, unsupervised unless they ask, so a service they
 * kill stays dead.
 */
public final class Suite implements AutoCloseable {

    private static final org.slf4j.Logger LOGGER = org.slf4j.LoggerFactory.getLogger(Suite.class);

    /** The three services that own data, each with its own database. */
    public enum Owner {
        ADMIN("admin-service", "gatehouse_admin"),
        KEYS("keys-service", "gatehouse_keys"),
        OAUTH("oauth-service", "gatehouse_oauth");

        public final String module;
        public final String defaultDatabase;

        Owner(String module, String defaultDatabase) {
            this.module = module;
            this.defaultDatabase = defaultDatabase;
        }
    }

    private final Path root;
    private final Path logDir;
    private final String kafkaBootstrap;
    private final PostgresServer postgres;
    private final String adminSecret;

    /** Each service's {@code -Xmx}, unless a caller gives one. */
    public static final String DEFAULT_HEAP = "256m";

    private final String keyDigestSecret;
    private final List<ServiceProcess> started = new ArrayList<>();
    private final Map<Owner, URI> ownerUrls = new java.util.concurrent.ConcurrentHashMap<>();
    // chosen up front: admin-service (started first) reads the others' audit checkpoints
    private final Map<Owner, Integer> ownerPorts = new java.util.EnumMap<>(Owner.class);
    private volatile String auditSigningKey = newAuditSigningKey();
    private volatile Supervisor supervisor;

    /**
     * @param root the project root (where the modules' {@code target/} folders are)
     * @param logDir where service logs go
     * @param kafkaBootstrap the broker
     * @param postgres the database server
     * @param adminSecret the control API secret, handed to each service in its environment
     */
    public Suite(
            Path root,
            Path logDir,
            String kafkaBootstrap,
            PostgresServer postgres,
            String adminSecret) {
        this(root, logDir, kafkaBootstrap, postgres, adminSecret, null);
    }

    /**
     * @param keyDigestSecret the secret keys are stored under (GATEHOUSE_KEY_DIGEST_SECRET), the
     *     same for every service; null to let the services derive it from the admin secret
     */
    public Suite(
            Path root,
            Path logDir,
            String kafkaBootstrap,
            PostgresServer postgres,
            String adminSecret,
            String keyDigestSecret) {
        this.keyDigestSecret = keyDigestSecret;
        this.root = root;
        this.logDir = logDir;
        this.kafkaBootstrap = kafkaBootstrap;
        this.postgres = postgres;
        this.adminSecret = adminSecret;
        for (Owner owner : Owner.values()) {
            ownerPorts.put(owner, Ports.free());
        }
    }

    /**
     * The Ed25519 key (base64 PKCS#8) the owners sign audit checkpoints with; one generated per
     * suite unless set. Set it before starting the owners.
     */
    public Suite auditSigningKey(String key) {
        this.auditSigningKey = key;
        return this;
    }

    /** A new Ed25519 private key, base64 PKCS#8 (what the owners' audit signer reads). */
    public static String newAuditSigningKey() {
        try {
            return java.util.Base64.getEncoder()
                    .encodeToString(
                            java.security.KeyPairGenerator.getInstance("Ed25519")
                                    .generateKeyPair()
                                    .getPrivate()
                                    .getEncoded());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK 15+ has Ed25519", e);
        }
    }

    /** The audit signing key the owners are given. */
    public String auditSigningKey() {
        return auditSigningKey;
    }

    /**
     * From now on, each service this suite starts is restarted when it dies, on the same port and
     * with the same configuration, once it has been ready (one that fails while starting still
     * fails its start). Closing a service's process ({@code service.process().close()}) stops it
     * for good.
     */
    public synchronized void enableSupervision(Supervisor.Backoff backoff) {
        if (supervisor == null) {
            supervisor = new Supervisor(backoff);
        }
    }

    /**
     * Watches a service that has just become ready, if supervision is on (and the suite is not
     * closing).
     */
    private void superviseIfEnabled(ServiceProcess process) {
        Supervisor current = supervisor;
        if (current != null) {
            current.supervise(process);
        }
    }

    /**
     * Starts an owner service on a free port with the given database and waits until it is ready.
     */
    public Service startOwner(Owner owner, String database, Duration timeout) {
        postgres.ensureDatabase(database);
        int port = ownerPorts.get(owner);
        Map<String, String> props = new HashMap<>();
        props.put("quarkus.http.port", Integer.toString(port));
        props.put("quarkus.http.host", "127.0.0.1");
        props.put("kafka.bootstrap.servers", kafkaBootstrap);
        props.put("quarkus.datasource.reactive.url", postgres.reactiveUrl(database));
        props.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(database));
        props.put("quarkus.datasource.username", postgres.user());
        URI admin = ownerUrls.get(Owner.ADMIN);
        if (owner != Owner.ADMIN && admin != null) {
            // write-time reference checks read through to admin-service (ADR 0008)
            props.put("gatehouse.owners.admin.url", admin.toString());
        }
        URI keys = ownerUrls.get(Owner.KEYS);
        if (owner == Owner.OAUTH && keys != null) {
            // the password grant checks basic-auth users with keys-service
            props.put("gatehouse.owners.keys.url", keys.toString());
        }
        if (owner == Owner.ADMIN) {
            // the audit log's reader checks every owner's signed checkpoints (ADR 0010)
            props.put(
                    "gatehouse.owners.keys.url", "http://127.0.0.1:" + ownerPorts.get(Owner.KEYS));
            props.put(
                    "gatehouse.owners.oauth.url",
                    "http://127.0.0.1:" + ownerPorts.get(Owner.OAUTH));
        }
        // the password travels in the environment, not on the command line where ps would show it
        ServiceProcess process =
                launch(
                        owner.module,
                        owner.module + "-" + port,
                        props,
                        Map.of(
                                "QUARKUS_DATASOURCE_PASSWORD",
                                postgres.password(),
                                "GATEHOUSE_AUDIT_SIGNING_KEY",
                                auditSigningKey));
        URI base = URI.create("http://127.0.0.1:" + port);
        process.awaitHttpOk(base.resolve("/q/health/ready"), timeout);
        superviseIfEnabled(process);
        ownerUrls.put(owner, base);
        return new Service(process, base);
    }

    /**
     * Starts dashboard-service (organisations, Dashboard users and their permissions) on the given
     * port with its own database and waits until it is ready.
     *
     * @param dashboardAdminSecret the Admin API's {@code admin-auth} secret
     */
    public Service startDashboard(
            int port, String database, String dashboardAdminSecret, Duration timeout) {
        postgres.ensureDatabase(database);
        int httpPort = port == 0 ? Ports.free() : port;
        Map<String, String> props = new HashMap<>();
        props.put("quarkus.http.port", Integer.toString(httpPort));
        props.put("quarkus.datasource.reactive.url", postgres.reactiveUrl(database));
        props.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(database));
        props.put("quarkus.datasource.username", postgres.user());
        // the analytics aggregator reads gatehouse.analytics (issue 12)
        props.put("kafka.bootstrap.servers", kafkaBootstrap);
        ownerUrls.forEach(
                (owner, url) ->
                        props.put(
                                "gatehouse.owners." + owner.name().toLowerCase() + ".url",
                                url.toString()));
        ServiceProcess process =
                launch(
                        "dashboard-service",
                        "dashboard-service-" + httpPort,
                        props,
                        Map.of(
                                "QUARKUS_DATASOURCE_PASSWORD",
                                postgres.password(),
                                "GATEHOUSE_DASHBOARD_ADMIN_SECRET",
                                dashboardAdminSecret));
        URI base = URI.create("http://127.0.0.1:" + httpPort);
        process.awaitHttpOk(base.resolve("/q/health/ready"), timeout);
        superviseIfEnabled(process);
        return new Service(process, base);
    }

    /**
     * Starts a gateway node and waits until {@code /ready} answers 200.
     *
     * @param port the gateway port (0 for a free one)
     * @param owners the owner services' base URLs, by owner
     */
    public Service startGateway(int port, Map<Owner, URI> owners, Duration timeout) {
        return startGateway(port, owners, "/ready", timeout);
    }

    /**
     * Starts a gateway node and waits until the given path answers 200 ({@code /hello} for alive,
     * {@code /ready} for caught up with every owner seen ready).
     */
    public Service startGateway(
            int port, Map<Owner, URI> owners, String awaitPath, Duration timeout) {
        return startGateway(port, owners, awaitPath, Map.of(), timeout);
    }

    /**
     * Starts a gateway node with configuration of its own on top of the suite's (say {@code
     * gatehouse.analytics.enabled=false}) and waits until the given path answers 200.
     */
    public Service startGateway(
            int port,
            Map<Owner, URI> owners,
            String awaitPath,
            Map<String, String> settings,
            Duration timeout) {
        return startGateway(port, owners, awaitPath, settings, DEFAULT_HEAP, timeout);
    }

    /**
     * Starts a gateway node as {@link #startGateway(int, Map, String, Map, Duration)} does, with a
     * heap of its own ({@code -Xmx}, say {@code 1g} for a node holding a million keys).
     */
    public Service startGateway(
            int port,
            Map<Owner, URI> owners,
            String awaitPath,
            Map<String, String> settings,
            String maxHeap,
            Duration timeout) {
        int httpPort = port == 0 ? Ports.free() : port;
        Map<String, String> props = new HashMap<>();
        props.put("quarkus.http.port", Integer.toString(httpPort));
        props.put("quarkus.management.port", Integer.toString(Ports.free()));
        props.put("kafka.bootstrap.servers", kafkaBootstrap);
        props.put("gatehouse.node-id", "gateway-" + httpPort);
        // last known good state, served when the node restarts while the broker is down
        props.put(
                "gatehouse.snapshot.path",
                logDir.resolveSibling("state")
                        .resolve("gateway-" + httpPort + ".snapshot")
                        .toAbsolutePath()
                        .toString());
        owners.forEach(
                (owner, url) ->
                        props.put(
                                "gatehouse.owners." + owner.name().toLowerCase() + ".url",
                                url.toString()));
        props.putAll(settings);
        ServiceProcess process =
                launch("gateway-service", "gateway-service-" + httpPort, props, Map.of(), maxHeap);
        URI base = URI.create("http://127.0.0.1:" + httpPort);
        process.awaitHttpOk(base.resolve(awaitPath), timeout);
        superviseIfEnabled(process);
        return new Service(process, base);
    }

    private ServiceProcess launch(
            String module, String logName, Map<String, String> props, Map<String, String> env) {
        return launch(module, logName, props, env, DEFAULT_HEAP);
    }

    private ServiceProcess launch(
            String module,
            String logName,
            Map<String, String> props,
            Map<String, String> env,
            String maxHeap) {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        Map<String, String> environment = new HashMap<>(env);
        environment.put("TYK_GW_SECRET", adminSecret);
        if (keyDigestSecret != null) {
            environment.put("GATEHOUSE_KEY_DIGEST_SECRET", keyDigestSecret);
        }
        ServiceProcess process =
                ServiceProcess.start(
                        module, jar, maxHeap, props, environment, logDir.resolve(logName + ".log"));
        synchronized (started) {
            started.add(process);
        }
        return process;
    }

    /** The processes started so far (a supervised one keeps its object across restarts). */
    public List<ServiceProcess> processes() {
        synchronized (started) {
            return List.copyOf(started);
        }
    }

    /**
     * Stops every service this suite started: the supervisor first, so none comes back; then
     * SIGTERM to all, gateways first, and only then the waits, so the shutdowns overlap instead of
     * adding up.
     */
    @Override
    public void close() {
        Supervisor current = supervisor;
        if (current != null) {
            current.close();
        }
        List<ServiceProcess> all = processes();
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).requestStop();
            } catch (RuntimeException e) {
                // close() below tries again, and kills it if need be
            }
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).close();
            } catch (RuntimeException e) {
                LOGGER.warn("{} did not stop cleanly: {}", all.get(i).name(), e.getMessage());
            }
        }
    }

    /**
     * A started service.
     *
     * @param process the process
     * @param url its base URL
     */
    public record Service(ServiceProcess process, URI url) {}
}
