package gatehouse.bench;

import gatehouse.local.KafkaBroker;
import gatehouse.local.Ports;
import gatehouse.local.PostgresServer;
import gatehouse.local.ServiceProcess;
import gatehouse.local.Suite;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code ./gatehouse bench [--quick] [--rounds N] [--seconds S]}: the project's side-by-side
 * benchmark (issue 13). In one run on one machine it starts a tiny upstream, the references that
 * are there (nginx; a hand-written Vert.x proxy) and the suite (a broker, the owners, a gateway
 * with analytics off and one with it on), then drives every target in interleaved rounds at 64
 * connections and at 1, and writes {@code target/bench/report.md} and {@code report.png}.
 */
public final class Bench {

    /** How long each part runs. */
    record Plan(
            int rounds,
            Duration run,
            Duration latencyRun,
            Duration warmup,
            Duration warmupLimit,
            Duration idle,
            boolean profile,
            int scaleApis,
            int changes,
            int nodes,
            int keys) {

        static Plan of(List<String> args) {
            boolean quick = args.contains("--quick");
            int rounds = quick ? 3 : 5;
            Duration run = quick ? Duration.ofSeconds(2) : Duration.ofSeconds(10);
            int keys = quick ? 100_000 : 1_000_000;
            for (int i = 0; i < args.size(); i++) {
                switch (args.get(i)) {
                    case "--quick", "--profile" -> {}
                    case "--rounds" -> rounds = Integer.parseInt(args.get(++i));
                    case "--seconds" -> run = Duration.ofSeconds(Long.parseLong(args.get(++i)));
                    case "--keys" -> keys = Integer.parseInt(args.get(++i));
                    default ->
                            throw new IllegalArgumentException(
                                    "usage: ./gatehouse bench [--quick] [--profile] [--rounds N] [--seconds S] [--keys N]"
                                            + " (not "
                                            + args.get(i)
                                            + ")");
                }
            }
            if (rounds < 1 || run.isZero() || run.isNegative() || keys < 1) {
                throw new IllegalArgumentException(
                        "--rounds, --seconds and --keys must be at least 1");
            }
            Duration latencyRun = Duration.ofSeconds(Math.max(1, run.toSeconds() / 2));
            return new Plan(
                    rounds,
                    run,
                    latencyRun,
                    quick ? Duration.ofSeconds(2) : Duration.ofSeconds(5),
                    quick ? Duration.ofSeconds(10) : Duration.ofSeconds(60),
                    quick ? Duration.ofSeconds(5) : Duration.ofSeconds(10),
                    args.contains("--profile"),
                    quick ? 1_000 : 10_000,
                    quick ? 10 : 50,
                    quick ? 2 : 3,
                    keys);
        }
    }

    /** What one load run points at, and whose CPU it costs. */
    record Target(String name, URI url, Map<String, String> headers, Supplier<List<Long>> pids) {}

    private static final Duration START = Duration.ofSeconds(120);

    /** The heap of the gateways of the keys row: room for a million keys at under 1 KB each. */
    private static final String KEYS_HEAP = "1g";

    /** Read before this JVM pins itself to one core, after which it sees one. */
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ORG = "bench-org";

    private final Plan plan;
    private final Path root;
    private final Path out;
    private final Pinning pinning = Pinning.detect();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    private Bench(Plan plan, Path root) {
        this.plan = plan;
        this.root = root;
        this.out = root.resolve("target/bench");
    }

    public static void main(String[] args) throws Exception {
        Plan plan;
        try {
            plan = Plan.of(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("gatehouse bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path root = Path.of(System.getProperty("gatehouse.root", ".")).toAbsolutePath().normalize();
        Bench bench = new Bench(plan, root);
        // Ctrl-C or a kill stops what the bench started, too
        Thread stopper = new Thread(bench::close, "gatehouse-bench-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        int exit;
        try {
            exit = bench.run();
        } finally {
            bench.close();
            Runtime.getRuntime().removeShutdownHook(stopper);
        }
        System.exit(exit);
    }

    /** Runs the bench; 1 when a request failed, else 0. */
    private int run() throws Exception {
        long begun = System.nanoTime();
        Path home = out.resolve("home");
        Files.createDirectories(home);
        pinning.pinRest(ProcessHandle.current().pid());
        LoadGenerator load = loadGenerator();
        System.out.println("bench: " + pinning.describe() + "; load by " + load.describe());

        int upstreamPort = Ports.free();
        Process upstream = child(pinning.restPrefix(), "64m", TinyUpstream.class, upstreamPort);
        int plainPort = Ports.free();
        Process plain =
                child(pinning.proxyPrefix(), "256m", PlainProxy.class, plainPort, upstreamPort);
        Nginx nginx = null;
        int nginxPort = Ports.free();
        var nginxPath = Nginx.find();
        if (nginxPath.isPresent()) {
            nginx =
                    Nginx.start(
                            nginxPath.get(),
                            out.resolve("nginx"),
                            nginxPort,
                            upstreamPort,
                            pinning.proxyPrefix());
            toClose.add(nginx);
        } else {
            System.out.println(
                    "bench: nginx is not installed (apt-get install nginx-light): no nginx row");
        }

        System.out.println("bench: starting the suite (broker, owners, two gateways)");
        String secret = randomHex();
        PostgresServer postgres = PostgresServer.locate(home.resolve("postgres"), false);
        toClose.add(postgres);
        KafkaBroker kafka =
                KafkaBroker.start(home.resolve("kafka-" + System.currentTimeMillis()), START);
        toClose.add(kafka);
        Suite suite =
                new Suite(root, home.resolve("logs"), kafka.bootstrapServers(), postgres, secret);
        toClose.add(suite);
        Map<Suite.Owner, CompletableFuture<URI>> starting = new EnumMap<>(Suite.Owner.class);
        for (Suite.Owner owner : Suite.Owner.values()) {
            String database = "gatehouse_bench_" + owner.name().toLowerCase();
            postgres.dropDatabase(database);
            postgres.ensureDatabase(database);
            starting.put(
                    owner,
                    CompletableFuture.supplyAsync(
                            () -> suite.startOwner(owner, database, START).url()));
        }
        Map<Suite.Owner, URI> owners = new EnumMap<>(Suite.Owner.class);
        starting.forEach((owner, url) -> owners.put(owner, url.join()));
        var plainGateway =
                CompletableFuture.supplyAsync(
                        () ->
                                suite.startGateway(
                                        0,
                                        owners,
                                        "/ready",
                                        Map.of("gatehouse.analytics.enabled", "false"),
                                        START));
        var analyticsGateway =
                CompletableFuture.supplyAsync(
                        () ->
                                suite.startGateway(
                                        0,
                                        owners,
                                        "/ready",
                                        Map.of("gatehouse.analytics.enabled", "true"),
                                        START));
        Suite.Service gateway = plainGateway.join();
        Suite.Service gatewayAnalytics = analyticsGateway.join();
        for (var process : suite.processes()) {
            if (process.pid() == gateway.process().pid()
                    || process.pid() == gatewayAnalytics.process().pid()) {
                pinning.pinProxy(process.pid());
            } else {
                pinning.pinRest(process.pid());
            }
        }
        awaitPort(upstreamPort);
        awaitPort(plainPort);
        if (nginx != null) {
            awaitPort(nginxPort);
        }
        String key = configure(gateway.url(), secret, upstreamPort);
        for (URI base : List.of(gateway.url(), gatewayAnalytics.url())) {
            awaitStatus(base.resolve("/open/x"), Map.of(), 200);
            awaitStatus(base.resolve("/keyed/x"), Map.of("Authorization", key), 200);
        }
        System.out.printf("bench: ready in %.0f s%n", (System.nanoTime() - begun) / 1e9);

        List<Target> targets = new ArrayList<>();
        targets.add(
                new Target(
                        Report.DIRECT,
                        URI.create("http://127.0.0.1:" + upstreamPort + "/x"),
                        Map.of(),
                        () -> List.of(upstream.pid())));
        if (nginx != null) {
            Nginx running = nginx;
            targets.add(
                    new Target(
                            Report.NGINX,
                            URI.create("http://127.0.0.1:" + nginxPort + "/x"),
                            Map.of(),
                            () -> ProcessStats.family(running.pid())));
        }
        targets.add(
                new Target(
                        Report.PLAIN,
                        URI.create("http://127.0.0.1:" + plainPort + "/x"),
                        Map.of(),
                        () -> List.of(plain.pid())));
        Target keyless =
                new Target(
                        Report.KEYLESS,
                        gateway.url().resolve("/open/x"),
                        Map.of(),
                        () -> List.of(gateway.process().pid()));
        targets.add(keyless);
        targets.add(
                new Target(
                        Report.KEYLESS_ANALYTICS,
                        gatewayAnalytics.url().resolve("/open/x"),
                        Map.of(),
                        () -> List.of(gatewayAnalytics.process().pid())));
        targets.add(
                new Target(
                        Report.KEYED,
                        gateway.url().resolve("/keyed/x"),
                        Map.of("Authorization", key),
                        () -> List.of(gateway.process().pid())));

        for (Target target : targets) {
            warmUp(load, target);
        }
        Profiles profiles = new Profiles(out.resolve("profiles"));
        if (plan.profile()) {
            profiles.start("vertx-proxy", plain.pid());
            profiles.start("gateway-analytics-off", gateway.process().pid());
            profiles.start("gateway-analytics-on", gatewayAnalytics.process().pid());
        }
        List<Sample> samples = new ArrayList<>();
        for (int round = 1; round <= plan.rounds(); round++) {
            for (int i = 0; i < targets.size(); i++) {
                // each round starts one target later, so no target always runs first or last
                Target target = targets.get((i + round - 1) % targets.size());
                samples.add(measure(load, target, round, 64, plan.run()));
                samples.add(measure(load, target, round, 1, plan.latencyRun()));
                Sample last = samples.get(samples.size() - 2);
                System.out.printf(
                        "bench: round %d %-45s %8.0f rps  %6.1f µs CPU/request%n",
                        round, target.name(), last.load().rps(), last.cpuMicrosPerRequest());
            }
        }

        if (plan.profile()) {
            profiles.stopAndSummarize();
            System.out.println(
                    "bench: JFR recordings and their summaries in " + out.resolve("profiles"));
        }
        Map<String, List<Long>> services = new LinkedHashMap<>();
        services.put("gateway-service (analytics off)", List.of(gateway.process().pid()));
        services.put("gateway-service (analytics on)", List.of(gatewayAnalytics.process().pid()));
        for (var process : suite.processes()) {
            if (!process.name().equals("gateway-service")) {
                services.put(process.name(), List.of(process.pid()));
            }
        }
        Map<String, Double> idle = idleCpu(services, plan.idle());
        Report.ScaleRows scale =
                scale(
                        suite,
                        owners,
                        load,
                        keyless,
                        secret,
                        upstreamPort,
                        gateway,
                        gatewayAnalytics);

        // last: the gateways above would each have to hold every key, on heaps sized for the rounds
        for (var process : suite.processes()) {
            if (process.name().equals("gateway-service")) {
                process.requestStop();
            }
        }
        suite.processes().stream()
                .filter(process -> process.name().equals("gateway-service"))
                .forEach(ServiceProcess::close);
        System.out.printf(
                Locale.ROOT,
                "bench: %,d keys, held by a new gateway (-Xmx%s)%n",
                plan.keys(),
                KEYS_HEAP);
        KeyScale.Keys keys =
                new KeyScale(HTTP, kafka.bootstrapServers(), secret, ORG, "bench-keyed")
                        .measure(suite, owners, plan.keys(), KEYS_HEAP, START, "/keyed/x");
        scale = new Report.ScaleRows(scale.live(), scale.routing(), keys);

        Map<String, String> context = new LinkedHashMap<>();
        context.put(
                "when",
                OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString());
        context.put("machine", machine());
        context.put(
                "JDK",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        context.put(
                "load",
                load.describe()
                        + "; "
                        + plan.rounds()
                        + " interleaved rounds of "
                        + plan.run().toSeconds()
                        + " s at 64 connections and "
                        + plan.latencyRun().toSeconds()
                        + " s at 1, after a warm-up per target in runs of "
                        + plan.warmup().toSeconds()
                        + " s until three in a row agree within 5% (at most "
                        + plan.warmupLimit().toSeconds()
                        + " s); medians");
        context.put("pinning", pinning.describe());
        context.put("upstream", "one Vert.x event loop answering 43 bytes of JSON");
        context.put("gateways", "-Xmx256m -XX:+UseSerialGC, as ./gatehouse up runs them");
        Report report =
                new Report(
                        samples, targets.stream().map(Target::name).toList(), context, idle, scale);
        report.write(out);
        System.out.println();
        System.out.println(report.markdown());
        System.out.println(
                "bench: wrote " + out.resolve("report.md") + " and " + out.resolve("report.png"));
        System.out.printf("bench: took %.0f s%n", (System.nanoTime() - begun) / 1e9);
        if (report.failures() > 0) {
            System.err.println("bench: " + report.failures() + " requests failed: see the table");
            return 1;
        }
        return 0;
    }

    /**
     * After the rounds: the keyless path with 10 APIs and with {@code plan.scaleApis()}, then admin
     * changes timed until live on every node (a third gateway joins in a full run).
     */
    private Report.ScaleRows scale(
            Suite suite,
            Map<Suite.Owner, URI> owners,
            LoadGenerator load,
            Target keyless,
            String secret,
            int upstreamPort,
            Suite.Service gateway,
            Suite.Service gatewayAnalytics)
            throws Exception {
        List<URI> nodes = new ArrayList<>(List.of(gateway.url(), gatewayAnalytics.url()));
        while (nodes.size() < plan.nodes()) {
            Suite.Service another =
                    suite.startGateway(
                            0,
                            owners,
                            "/ready",
                            Map.of("gatehouse.analytics.enabled", "false"),
                            START);
            pinning.pinProxy(another.process().pid());
            nodes.add(another.url());
        }
        Scale scale =
                new Scale(
                        HTTP, gateway.url(), secret, ORG, "http://127.0.0.1:" + upstreamPort + "/");
        System.out.printf("bench: keyless with 10 APIs, then with %,d%n", plan.scaleApis());
        // the bench's own two APIs are held already
        Scale.Routing routing =
                scale.routing(
                        2,
                        10,
                        plan.scaleApis(),
                        gateway.url(),
                        3,
                        () -> measure(load, keyless, 0, 64, plan.run()).load().rps());
        System.out.printf(
                "bench: %d admin changes timed until live on %d gateways%n",
                plan.changes(), nodes.size());
        Scale.ChangeToLive live = scale.changeToLive(nodes, plan.changes());
        return new Report.ScaleRows(live, routing, null);
    }

    /**
     * Load until the throughput settles: a JVM target compiles its hot path for tens of seconds on
     * one pinned core, and a round measured before that says nothing.
     */
    private void warmUp(LoadGenerator load, Target target) {
        long until = System.nanoTime() + plan.warmupLimit().toNanos();
        List<Double> runs = new ArrayList<>();
        while (true) {
            runs.add(load.run(target.url(), target.headers(), 64, plan.warmup()).rps());
            boolean settled = settled(runs);
            if (settled || System.nanoTime() - until >= 0) {
                System.out.printf(
                        "bench: warmed up %-45s %8.0f rps after %d runs%s%n",
                        target.name(),
                        runs.get(runs.size() - 1),
                        runs.size(),
                        settled ? "" : " (not settled: limit reached)");
                return;
            }
        }
    }

    /** The last three warm-up runs agree within 5 %: two agreeing can be a plateau mid-compile. */
    static boolean settled(List<Double> runs) {
        if (runs.size() < 3) {
            return false;
        }
        List<Double> last = runs.subList(runs.size() - 3, runs.size());
        double low = last.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double high = last.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return low > 0 && high <= 1.05 * low;
    }

    private Sample measure(
            LoadGenerator load, Target target, int round, int connections, Duration duration) {
        List<Long> pids = target.pids().get();
        long cpuBefore = ProcessStats.cpuMicros(pids);
        LoadResult result = load.run(target.url(), target.headers(), connections, duration);
        long cpu = ProcessStats.cpuMicros(pids) - cpuBefore;
        return new Sample(
                target.name(), round, connections, result, cpu, ProcessStats.rssKib(pids));
    }

    /** Each service's CPU over a window without load, as a percentage of one core. */
    private static Map<String, Double> idleCpu(Map<String, List<Long>> services, Duration window)
            throws InterruptedException {
        // the load just stopped: compilations and collections it set off finish first
        Thread.sleep(window.toMillis());
        Map<String, Long> before = new LinkedHashMap<>();
        services.forEach((name, pids) -> before.put(name, ProcessStats.cpuMicros(pids)));
        long started = System.nanoTime();
        // a measurement window, not a wait for something to happen
        Thread.sleep(window.toMillis());
        double micros = (System.nanoTime() - started) / 1e3;
        Map<String, Double> percent = new LinkedHashMap<>();
        services.forEach(
                (name, pids) ->
                        percent.put(
                                name,
                                100.0
                                        * (ProcessStats.cpuMicros(pids) - before.get(name))
                                        / micros));
        return percent;
    }

    /** A keyless API, a keyed one, and a key with a rate limit and a quota it never reaches. */
    private static String configure(URI gateway, String secret, int upstreamPort) throws Exception {
        String target = "http://127.0.0.1:" + upstreamPort + "/";
        admin(
                gateway,
                secret,
                "/tyk/apis",
                """
                {"api_id":"bench-open","name":"Bench keyless","org_id":"%s","use_keyless":true,"active":true,
                 "version_data":{"not_versioned":true,"versions":{"Default":{"name":"Default"}}},
                 "proxy":{"listen_path":"/open/","target_url":"%s","strip_listen_path":true}}"""
                        .formatted(ORG, target));
        admin(
                gateway,
                secret,
                "/tyk/apis",
                """
                {"api_id":"bench-keyed","name":"Bench keyed","org_id":"%s","use_keyless":false,"active":true,
                 "auth":{"auth_header_name":"Authorization"},
                 "version_data":{"not_versioned":true,"versions":{"Default":{"name":"Default"}}},
                 "proxy":{"listen_path":"/keyed/","target_url":"%s","strip_listen_path":true}}"""
                        .formatted(ORG, target));
        String created =
                admin(
                        gateway,
                        secret,
                        "/tyk/keys/create",
                        """
                {"org_id":"%s","rate":1000000000,"per":1,"quota_max":1000000000000,"quota_renewal_rate":3600,
                 "access_rights":{"bench-keyed":{"api_id":"bench-keyed","api_name":"Bench keyed","versions":["Default"]}}}"""
                                .formatted(ORG));
        var key =
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(created)
                        .path("key")
                        .asText();
        if (key.isEmpty()) {
            throw new IllegalStateException("no key in " + created);
        }
        return key;
    }

    /**
     * POSTs to the control API, retrying while a just-created API is not yet known to the owner.
     */
    private static String admin(URI gateway, String secret, String path, String body)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<String> response;
        do {
            response =
                    HTTP.send(
                            HttpRequest.newBuilder(gateway.resolve(path))
                                    .header("x-tyk-authorization", secret)
                                    .header("Content-Type", "application/json")
                                    .timeout(Duration.ofSeconds(10))
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return response.body();
            }
            Thread.onSpinWait();
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException(
                "POST " + path + " answered " + response.statusCode() + ": " + response.body());
    }

    private static void awaitStatus(URI url, Map<String, String> headers, int status)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            var request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5));
            headers.forEach(request::header);
            try {
                last =
                        HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode();
                if (last == status) {
                    return;
                }
            } catch (IOException e) {
                last = -1;
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException(
                url + " answered " + last + ", not " + status + ", within 30 s");
    }

    private static void awaitPort(int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Ports.answers("127.0.0.1", port, 200)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nothing answers on port " + port + " within 30 s");
            }
        }
    }

    private LoadGenerator loadGenerator() {
        String wrk = which("wrk");
        if (wrk == null) {
            System.out.println(
                    "bench: wrk is not installed (apt-get install wrk): the Java load generator drives the load");
            return new JavaLoad();
        }
        return new Wrk(wrk, pinning.restPrefix());
    }

    private Process child(List<String> prefix, String heap, Class<?> main, int... ports)
            throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(
                List.of(
                        "-Xmx" + heap,
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        main.getName()));
        for (int port : ports) {
            command.add(Integer.toString(port));
        }
        Path log = out.resolve("logs").resolve(main.getSimpleName() + ".log");
        Files.createDirectories(log.getParent());
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        toClose.add(process::destroy);
        return process;
    }

    private static String which(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path path = Path.of(dir, name);
            if (Files.isExecutable(path)) {
                return path.toString();
            }
        }
        return null;
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line :
                    Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException e) {
            // not Linux: the core count still says something
        }
        return CORES
                + " cores ("
                + cpu
                + "), "
                + System.getProperty("os.name")
                + " "
                + System.getProperty("os.version")
                + " "
                + System.getProperty("os.arch");
    }

    private static String randomHex() {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private synchronized void close() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.remove(i).close();
            } catch (Exception e) {
                System.err.println("bench: stopping something it started: " + e.getMessage());
            }
        }
    }
}
