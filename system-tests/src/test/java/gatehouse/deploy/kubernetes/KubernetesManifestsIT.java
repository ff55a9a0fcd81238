package gatehouse.deploy.kubernetes;

import static gatehouse.deploy.kubernetes.Manifests.at;
import static gatehouse.deploy.kubernetes.Manifests.container;
import static gatehouse.deploy.kubernetes.Manifests.id;
import static gatehouse.deploy.kubernetes.Manifests.integer;
import static gatehouse.deploy.kubernetes.Manifests.list;
import static gatehouse.deploy.kubernetes.Manifests.map;
import static gatehouse.deploy.kubernetes.Manifests.name;
import static gatehouse.deploy.kubernetes.Manifests.podLabels;
import static gatehouse.deploy.kubernetes.Manifests.ports;
import static gatehouse.deploy.kubernetes.Manifests.str;
import static org.junit.jupiter.api.Assertions.assertEquals;

import gatehouse.local.KafkaBroker;
import gatehouse.local.Ports;
import gatehouse.local.PostgresServer;
import gatehouse.testsupport.TestInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The manifests and the code agree, by running them: every Deployment of the rendered dev overlay
 * is started from its packaged jar as its container would start it (the image's ENV and entrypoint,
 * the pod's environment resolved from ConfigMaps, Secrets and the downward API, its args), then
 * every probe the manifest declares is called on the port it names, every rule of the control-plane
 * and Dashboard Ingresses is sent to the Service it names, and the broker is checked for topics the
 * manifests do not declare.
 *
 * <p>What differs from a cluster, and only that, is substituted, each from what the manifests say:
 *
 * <ul>
 *   <li>each declared containerPort gets a free local port; an environment value that is exactly
 *       one of the container's declared ports becomes its local port (so the port the code listens
 *       on comes from the manifest's and the image's variables, never from the test: a variable
 *       that is missing, misnamed or names another port leaves the service listening elsewhere, and
 *       the probe on the declared port fails);
 *   <li>a {@code host:port} that names a rendered Service becomes 127.0.0.1 and the local port of
 *       the containerPort that Service port targets; {@code <kafka>-kafka-bootstrap:<listener
 *       port>} of the rendered Strimzi Kafka becomes a local broker, provisioned with the rendered
 *       KafkaTopics and nothing else (auto creation off, as in the Kafka resource); any other host
 *       fails the test;
 *   <li>the Secret {@code gatehouse-secrets} has the keys the README tells the operator to create,
 *       with fresh test values; {@code <cluster>-app} of a rendered CloudNativePG Cluster has the
 *       keys CloudNativePG writes, pointing to a fresh database on the local PostgreSQL;
 *   <li>a path under an emptyDir mount becomes a local directory; the pod name is {@code
 *       <deployment>-<random>}, also its HOSTNAME, as the kubelet sets it;
 *   <li>run-java.sh (the image's entrypoint) is emulated: heap from {@code JAVA_MAX_MEM_RATIO} and
 *       {@code JAVA_INITIAL_MEM_RATIO} of the memory limit, {@code JAVA_OPTS_APPEND}, the jar, the
 *       container's args.
 * </ul>
 *
 * No system property is added and the process environment is exactly the container's: nothing is
 * inherited from the test JVM.
 */
class KubernetesManifestsIT {

    /**
     * The overlay started: dev ({@code -Dgatehouse.k8s.it.overlay=<path relative to overlays/>}
     * runs another, e.g. one with a deliberate mistake, to see this test fail).
     */
    private static final String OVERLAY = System.getProperty("gatehouse.k8s.it.overlay", "dev");

    private static final Path WORK = Toolchain.ROOT.resolve("system-tests/target/k8s-manifests-it");
    private static final String ADMIN_HEADER = "x-tyk-authorization";
    private static final String EXTERNAL_SECRET = WorkloadsTest.EXTERNAL_SECRET;

    /** The keys of the {@code <cluster>-app} Secret CloudNativePG creates for a Cluster. */
    private static final Set<String> CNPG_APP_KEYS =
            Set.of("username", "password", "host", "port", "dbname", "uri", "jdbc-uri");

    /**
     * The request sent for a rule whose own path is no route, or answers Tyk's 404 by design (GET
     * /tyk/keys with hashed key listing off; Tyk serves no GET /tyk/oauth): one that reaches a
     * route of the service and writes nothing (an empty preview, a purge without its scope, both
     * refused with 400/422). Every other rule's request is GET of its own path.
     */
    private static final Map<String, List<String>> EXAMPLE_REQUESTS =
            Map.of(
                    "/tyk/keys", List.of("POST", "/tyk/keys/preview"),
                    "/tyk/oauth", List.of("DELETE", "/tyk/oauth/tokens"));

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<Pod> pods = new ArrayList<>();
    private final List<String> databases = new ArrayList<>();
    private KafkaBroker broker;
    private Path brokerDir;

    /** A Deployment's one pod, as a local process. */
    private static final class Pod {
        final Map<String, Object> deployment;
        final Map<String, Object> container;
        final String module;
        final String name;
        final Path dir;
        final Map<Integer, Integer> localPorts = new LinkedHashMap<>();
        final Map<String, String> environment = new LinkedHashMap<>();
        final List<String> command = new ArrayList<>();
        Process process;
        long startedAt;

        Pod(Map<String, Object> deployment, String module) {
            this.deployment = deployment;
            this.container = container(deployment);
            this.module = module;
            this.name = name(deployment) + "-" + HexFormat.of().toHexDigits(RANDOM.nextInt(), 5);
            this.dir = WORK.resolve(name);
        }

        Path log() {
            return dir.resolve("pod.log");
        }

        String logTail() {
            try {
                List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
                return String.join(
                        "\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }

        @Override
        public String toString() {
            return id(deployment) + " (pod " + name + ")";
        }
    }

    @Test
    void theDevDeploymentsStartAsRenderedAndServeTheirProbesAndIngressRules() throws Exception {
        Manifests m = Manifests.of(OVERLAY);
        Files.createDirectories(WORK);

        Map<String, Object> kafka = only(m, "Kafka");
        Set<String> declaredTopics = startBrokerWithTheRenderedTopics(m, name(kafka));
        Map<String, Map<String, String>> secrets = secrets(m);

        for (Map<String, Object> deployment : m.deployments()) {
            String image = str(container(deployment), "image");
            String repository = Manifests.imageRepository(image);
            String module = repository.substring(repository.lastIndexOf('/') + 1);
            Pod pod = new Pod(deployment, module);
            ports(pod.container).values().forEach(port -> pod.localPorts.put(port, Ports.free()));
            pods.add(pod);
        }
        List<String> problems = new ArrayList<>();
        for (Pod pod : pods) {
            prepare(pod, m, kafka, secrets, problems);
        }
        assertEquals(List.of(), problems, "the pods cannot be started as rendered");

        for (Pod pod : pods) {
            start(pod);
        }
        for (Pod pod : pods) {
            probe(pod, problems);
        }
        assertEquals(List.of(), problems, "the probes the manifests declare");

        for (Pod pod : pods) {
            String log = Files.readString(pod.log());
            Matcher unknown = Pattern.compile("Unrecognized configuration key[^\\n]*").matcher(log);
            while (unknown.find()) {
                problems.add(pod + ": " + unknown.group());
            }
        }
        assertEquals(List.of(), problems, "configuration the services do not know");

        controlPlaneRules(m, secrets.get(EXTERNAL_SECRET).get("admin-secret"), problems);
        assertEquals(List.of(), problems, "the control-plane Ingress rules");

        dashboardRules(m, secrets.get(EXTERNAL_SECRET).get("dashboard-admin-secret"), problems);
        assertEquals(List.of(), problems, "the Dashboard Ingress rules");

        Set<String> onTheBroker = topicsOnTheBroker();
        onTheBroker.removeAll(declaredTopics);
        assertEquals(
                Set.of(),
                onTheBroker,
                "topics the services created that no KafkaTopic of overlays/"
                        + OVERLAY
                        + " declares");
    }

    // the broker and the topics

    private Set<String> startBrokerWithTheRenderedTopics(Manifests m, String cluster)
            throws Exception {
        brokerDir = Files.createTempDirectory(WORK, "kafka-");
        broker = KafkaBroker.start(brokerDir, Duration.ofSeconds(60));
        Map<String, Object> config = map(only(m, "Kafka"), "spec", "kafka", "config");
        if (!"false".equals(String.valueOf(config.get("auto.create.topics.enable")))) {
            throw new AssertionError(
                    "the local broker runs with auto.create.topics.enable=false; the Kafka resource"
                            + " says "
                            + config.get("auto.create.topics.enable"));
        }
        List<NewTopic> topics = new ArrayList<>();
        for (Map<String, Object> topic : m.all("KafkaTopic")) {
            if (!cluster.equals(str(topic, "metadata", "labels", "strimzi.io/cluster"))) {
                continue;
            }
            String topicName =
                    str(topic, "spec", "topicName") == null
                            ? name(topic)
                            : str(topic, "spec", "topicName");
            Map<String, String> topicConfig = new LinkedHashMap<>();
            map(topic, "spec", "config").forEach((k, v) -> topicConfig.put(k, String.valueOf(v)));
            topics.add(
                    new NewTopic(
                                    topicName,
                                    integer(topic, "spec", "partitions"),
                                    (short) integer(topic, "spec", "replicas"))
                            .configs(topicConfig));
        }
        try (Admin admin = admin()) {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(
                    "the broker refuses the rendered KafkaTopics: " + e.getCause().getMessage(), e);
        }
        Set<String> names = new TreeSet<>();
        topics.forEach(t -> names.add(t.name()));
        return names;
    }

    private Set<String> topicsOnTheBroker() throws Exception {
        try (Admin admin = admin()) {
            Set<String> topics =
                    new TreeSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
            topics.removeIf(t -> t.startsWith("__"));
            return topics;
        }
    }

    private Admin admin() {
        return Admin.create(
                Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                        30_000));
    }

    // the Secrets

    /**
     * The Secrets the pods may read: rendered ones as rendered; {@code gatehouse-secrets} with the
     * keys of the README's {@code kubectl create secret} and fresh values; each CloudNativePG
     * Cluster's app Secret, pointing to a fresh local database.
     */
    private Map<String, Map<String, String>> secrets(Manifests m) {
        Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
        for (Map<String, Object> secret : m.all("Secret")) {
            Map<String, String> values = new LinkedHashMap<>();
            map(secret, "data")
                    .forEach(
                            (k, v) ->
                                    values.put(
                                            k,
                                            new String(
                                                    Base64.getDecoder().decode(String.valueOf(v)),
                                                    StandardCharsets.UTF_8)));
            map(secret, "stringData").forEach((k, v) -> values.put(k, String.valueOf(v)));
            secrets.put(name(secret), values);
        }
        secrets.put(EXTERNAL_SECRET, readmeSecret());
        PostgresServer postgres = TestInfrastructure.get().postgres();
        for (Map<String, Object> cluster : m.all("Cluster")) {
            String initdb = str(cluster, "spec", "bootstrap", "initdb", "database");
            String database =
                    TestInfrastructure.get()
                            .freshDatabase((initdb == null ? "app" : initdb) + "_k8s_it");
            databases.add(database);
            Map<String, String> app = new LinkedHashMap<>();
            app.put("username", postgres.user());
            app.put("password", postgres.password());
            app.put("host", postgres.host());
            app.put("port", Integer.toString(postgres.port()));
            app.put("dbname", database);
            app.put(
                    "uri",
                    "postgresql://%s:%s@%s:%d/%s"
                            .formatted(
                                    postgres.user(),
                                    postgres.password(),
                                    postgres.host(),
                                    postgres.port(),
                                    database));
            app.put(
                    "jdbc-uri",
                    "jdbc:postgresql://%s:%d/%s?password=%s&user=%s"
                            .formatted(
                                    postgres.host(),
                                    postgres.port(),
                                    database,
                                    postgres.password(),
                                    postgres.user()));
            if (!app.keySet().equals(CNPG_APP_KEYS)) {
                throw new AssertionError("the CloudNativePG app secret keys are " + CNPG_APP_KEYS);
            }
            secrets.put(name(cluster) + "-app", app);
        }
        return secrets;
    }

    /**
     * gatehouse-secrets as the README's "Deploy on Kubernetes" creates it: its keys, each with the
     * value the README's own command makes ({@code "$(openssl rand -hex 24)"}, run by bash), so a
     * key the code reads in a format of its own (the audit signing key) gets one it accepts.
     */
    private static Map<String, String> readmeSecret() {
        String readme = Toolchain.read(Toolchain.ROOT.resolve("README.md"));
        Matcher command =
                Pattern.compile(
                                "create secret generic "
                                        + Pattern.quote(EXTERNAL_SECRET)
                                        + "((?:[^\\n]*\\\\\\n)*[^\\n]*)")
                        .matcher(readme);
        if (!command.find()) {
            throw new AssertionError(
                    "README.md does not say how to create the Secret " + EXTERNAL_SECRET);
        }
        Map<String, String> values = new LinkedHashMap<>();
        Matcher literal =
                Pattern.compile("--from-literal=([A-Za-z0-9._-]+)=(?:\"\\$\\(([^\"]*)\\)\"|(\\S+))")
                        .matcher(command.group(1));
        while (literal.find()) {
            values.put(
                    literal.group(1),
                    literal.group(2) == null ? literal.group(3) : shell(literal.group(2)));
        }
        if (values.isEmpty()) {
            throw new AssertionError("README.md creates " + EXTERNAL_SECRET + " without keys");
        }
        return values;
    }

    private static String shell(String command) {
        Toolchain.Result result = Toolchain.run(List.of("bash", "-c", command), WORK);
        if (result.exit() != 0 || result.out().isBlank()) {
            throw new AssertionError(
                    "the README's command for a secret value failed: "
                            + command
                            + "\n"
                            + result.err());
        }
        return result.out().trim();
    }

    // the container's environment and command line

    private void prepare(
            Pod pod,
            Manifests m,
            Map<String, Object> kafka,
            Map<String, Map<String, String>> secrets,
            List<String> problems)
            throws IOException {
        Map<String, Object> podSpec = map(pod.deployment, "spec", "template", "spec");
        if (!Boolean.FALSE.equals(podSpec.get("enableServiceLinks"))) {
            problems.add(
                    pod
                            + ": enableServiceLinks is not false; the service-link variables the"
                            + " kubelet would add are not reproduced here");
        }
        if (pod.container.containsKey("command")) {
            problems.add(
                    pod
                            + ": command replaces the image's entrypoint (run-java.sh), not emulated here");
        }
        Files.createDirectories(pod.dir);

        // the image's ENV, then what the kubelet sets, then the pod's own (envFrom, then env)
        Path dockerfile =
                Toolchain.ROOT.resolve(pod.module).resolve("src/main/docker/Dockerfile.jvm");
        if (!Files.exists(dockerfile)) {
            problems.add(pod + ": no image source " + dockerfile);
            return;
        }
        String docker = Files.readString(dockerfile);
        if (!docker.contains("run-java.sh")) {
            problems.add(pod + ": the image's entrypoint is not run-java.sh, not emulated here");
        }
        Matcher env =
                Pattern.compile(
                                "(?m)^ENV\\s+([A-Za-z_][A-Za-z0-9_]*)=(?:\"([^\"]*)\"|'([^']*)'|(\\S*))\\s*$")
                        .matcher(docker);
        while (env.find()) {
            String value =
                    env.group(2) != null
                            ? env.group(2)
                            : env.group(3) != null ? env.group(3) : env.group(4);
            pod.environment.put(env.group(1), value);
        }
        pod.environment.put("HOSTNAME", pod.name);

        Map<String, String> defined = new LinkedHashMap<>();
        for (Map<String, Object> from : list(pod.container, "envFrom")) {
            String prefix = String.valueOf(from.getOrDefault("prefix", ""));
            if (str(from, "configMapRef", "name") != null) {
                map(m.get("ConfigMap", str(from, "configMapRef", "name")), "data")
                        .forEach((k, v) -> defined.put(prefix + k, String.valueOf(v)));
            } else if (str(from, "secretRef", "name") != null) {
                Map<String, String> secret = secrets.get(str(from, "secretRef", "name"));
                if (secret == null) {
                    problems.add(pod + ": envFrom names the unknown Secret " + from);
                } else {
                    secret.forEach((k, v) -> defined.put(prefix + k, v));
                }
            }
        }
        for (Map<String, Object> variable : list(pod.container, "env")) {
            String name = str(variable, "name");
            String value;
            if (variable.containsKey("value")) {
                value = expand(String.valueOf(variable.get("value")), defined);
            } else {
                value = valueFrom(pod, m, name, map(variable, "valueFrom"), secrets, problems);
            }
            if (value != null) {
                defined.put(name, value);
            }
        }
        pod.environment.putAll(defined);

        // what differs on this machine: ports, hosts, mounted paths
        Map<String, String> mounts = new LinkedHashMap<>();
        Set<String> emptyDirs = new LinkedHashSet<>();
        for (Map<String, Object> volume : list(podSpec, "volumes")) {
            if (volume.containsKey("emptyDir")) {
                emptyDirs.add(str(volume, "name"));
            }
        }
        for (Map<String, Object> mount : list(pod.container, "volumeMounts")) {
            if (emptyDirs.contains(str(mount, "name"))) {
                Path local = pod.dir.resolve("volumes").resolve(str(mount, "name"));
                Files.createDirectories(local);
                mounts.put(str(mount, "mountPath"), local.toString());
            }
        }
        pod.environment.replaceAll(
                (name, value) -> localise(pod, name, value, m, kafka, mounts, problems));

        // run-java.sh: heap from the memory limit, JAVA_OPTS_APPEND, the jar, the args
        pod.command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String limit = str(pod.container, "resources", "limits", "memory");
        if (limit != null && pod.environment.containsKey("JAVA_MAX_MEM_RATIO")) {
            long bytes = quantity(limit);
            pod.command.add(
                    "-Xmx" + heapMegabytes(bytes, pod.environment.get("JAVA_MAX_MEM_RATIO")) + "m");
            if (pod.environment.containsKey("JAVA_INITIAL_MEM_RATIO")) {
                pod.command.add(
                        "-Xms"
                                + heapMegabytes(
                                        bytes, pod.environment.get("JAVA_INITIAL_MEM_RATIO"))
                                + "m");
            }
        }
        pod.command.add("-XX:+ExitOnOutOfMemoryError");
        String append = pod.environment.getOrDefault("JAVA_OPTS_APPEND", "").trim();
        if (!append.isEmpty()) {
            pod.command.addAll(List.of(append.split("\\s+")));
        }
        pod.command.add("-jar");
        pod.command.add(
                Toolchain.ROOT
                        .resolve(pod.module)
                        .resolve("target/quarkus-app/quarkus-run.jar")
                        .toString());
        for (Object arg : Manifests.strings(pod.container, "args")) {
            pod.command.add(expand(String.valueOf(arg), defined));
        }
    }

    private static long heapMegabytes(long limitBytes, String ratio) {
        return limitBytes * Long.parseLong(ratio.trim()) / 100 / (1024 * 1024);
    }

    /** A Kubernetes memory quantity in bytes. */
    private static long quantity(String text) {
        Matcher q = Pattern.compile("(\\d+)([KMGT]i?|[kmgt])?").matcher(text.trim());
        if (!q.matches()) {
            throw new AssertionError("cannot read the quantity " + text);
        }
        long value = Long.parseLong(q.group(1));
        String unit = q.group(2) == null ? "" : q.group(2);
        return switch (unit) {
            case "" -> value;
            case "Ki" -> value << 10;
            case "Mi" -> value << 20;
            case "Gi" -> value << 30;
            case "Ti" -> value << 40;
            case "k", "K" -> value * 1_000L;
            case "M" -> value * 1_000_000L;
            case "G" -> value * 1_000_000_000L;
            default -> throw new AssertionError("cannot read the quantity " + text);
        };
    }

    /** $(VAR) expanded from the variables defined before, $$ kept as $, as the kubelet does. */
    private static String expand(String value, Map<String, String> defined) {
        StringBuilder out = new StringBuilder();
        Matcher ref = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)").matcher(value);
        while (ref.find()) {
            String replacement;
            if (ref.group(1) == null) {
                replacement = "$";
            } else {
                replacement = defined.getOrDefault(ref.group(1), ref.group());
            }
            ref.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        ref.appendTail(out);
        return out.toString();
    }

    private String valueFrom(
            Pod pod,
            Manifests m,
            String variable,
            Map<String, Object> from,
            Map<String, Map<String, String>> secrets,
            List<String> problems) {
        if (from.containsKey("secretKeyRef")) {
            String secret = str(from, "secretKeyRef", "name");
            String key = str(from, "secretKeyRef", "key");
            Map<String, String> values = secrets.get(secret);
            if (values == null || !values.containsKey(key)) {
                if (!Boolean.TRUE.equals(at(from, "secretKeyRef", "optional"))) {
                    problems.add(
                            pod
                                    + ": "
                                    + variable
                                    + " reads key "
                                    + key
                                    + " of Secret "
                                    + secret
                                    + ", which "
                                    + (values == null
                                            ? "is neither rendered, nor "
                                                    + EXTERNAL_SECRET
                                                    + ", nor a Cluster's app secret"
                                            : "has only " + values.keySet()));
                }
                return null;
            }
            return values.get(key);
        }
        if (from.containsKey("configMapKeyRef")) {
            String configMap = str(from, "configMapKeyRef", "name");
            String key = str(from, "configMapKeyRef", "key");
            Object value =
                    m.find("ConfigMap", configMap).map(c -> map(c, "data").get(key)).orElse(null);
            if (value == null) {
                if (!Boolean.TRUE.equals(at(from, "configMapKeyRef", "optional"))) {
                    problems.add(
                            pod + ": " + variable + " reads the missing " + configMap + "/" + key);
                }
                return null;
            }
            return String.valueOf(value);
        }
        if (from.containsKey("fieldRef")) {
            String field = str(from, "fieldRef", "fieldPath");
            switch (field) {
                case "metadata.name":
                    return pod.name;
                case "metadata.namespace":
                    return str(pod.deployment, "metadata", "namespace");
                case "status.podIP":
                case "status.hostIP":
                    return "127.0.0.1";
                case "spec.nodeName":
                    return "localhost";
                default:
                    problems.add(
                            pod + ": " + variable + " reads the field " + field + ", not emulated");
                    return null;
            }
        }
        problems.add(pod + ": " + variable + " has a valueFrom not emulated here: " + from);
        return null;
    }

    private static final Pattern HOST_PORT =
            Pattern.compile(
                    "(?<![A-Za-z0-9.@_-])([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)*):(\\d{1,5})(?![0-9])");

    /**
     * One value of the environment as it must be on this machine: a declared containerPort as its
     * local port, a Service or the Kafka bootstrap as local addresses, a mounted path as its local
     * directory.
     */
    private String localise(
            Pod pod,
            String variable,
            String value,
            Manifests m,
            Map<String, Object> kafka,
            Map<String, String> mounts,
            List<String> problems) {
        if (value.matches("\\d{1,5}") && pod.localPorts.containsKey(Integer.parseInt(value))) {
            return Integer.toString(pod.localPorts.get(Integer.parseInt(value)));
        }
        for (Map.Entry<String, String> mount : mounts.entrySet()) {
            String path = mount.getKey();
            if (value.equals(path) || value.startsWith(path.endsWith("/") ? path : path + "/")) {
                return mount.getValue() + value.substring(path.length());
            }
        }
        StringBuilder out = new StringBuilder();
        Matcher hostPort = HOST_PORT.matcher(value);
        while (hostPort.find()) {
            String host = hostPort.group(1);
            int port = Integer.parseInt(hostPort.group(2));
            String local = localAddress(host, port, m, kafka);
            if (local == null) {
                problems.add(
                        pod
                                + ": "
                                + variable
                                + " names "
                                + host
                                + ":"
                                + port
                                + ", which is neither a port of a rendered Service nor the bootstrap"
                                + " of Kafka "
                                + name(kafka));
                local = hostPort.group();
            }
            hostPort.appendReplacement(out, Matcher.quoteReplacement(local));
        }
        hostPort.appendTail(out);
        return out.toString();
    }

    /**
     * 127.0.0.1:port for a Service port of the render, the local broker for the Kafka bootstrap.
     */
    private String localAddress(String host, int port, Manifests m, Map<String, Object> kafka) {
        String namespace = str(kafka, "metadata", "namespace");
        String service = host;
        for (String suffix :
                List.of(
                        "." + namespace + ".svc.cluster.local",
                        "." + namespace + ".svc",
                        "." + namespace)) {
            if (service.endsWith(suffix)) {
                service = service.substring(0, service.length() - suffix.length());
                break;
            }
        }
        if (service.equals(name(kafka) + "-kafka-bootstrap")) {
            boolean listener =
                    list(kafka, "spec", "kafka", "listeners").stream()
                            .anyMatch(
                                    l ->
                                            String.valueOf(l.get("port"))
                                                    .equals(Integer.toString(port)));
            return listener ? broker.bootstrapServers() : null;
        }
        Integer local = servicePort(m, service, Integer.toString(port), true);
        return local == null ? null : "127.0.0.1:" + local;
    }

    /**
     * The local port a Service port (by number or, if {@code byNumber} is false, by name) reaches:
     * its targetPort on the pod the Service selects.
     */
    private Integer servicePort(Manifests m, String service, String port, boolean byNumber) {
        var found = m.find("Service", service);
        if (found.isEmpty()) {
            return null;
        }
        for (Map<String, Object> servicePort : list(found.get(), "spec", "ports")) {
            boolean matches =
                    byNumber
                            ? port.equals(str(servicePort, "port"))
                            : port.equals(str(servicePort, "name"))
                                    || port.equals(str(servicePort, "port"));
            if (!matches) {
                continue;
            }
            Object target = servicePort.getOrDefault("targetPort", servicePort.get("port"));
            for (Pod pod : pods) {
                if (Manifests.selectsPairs(
                        map(found.get(), "spec", "selector"), podLabels(pod.deployment))) {
                    int containerPort = Manifests.resolve(target, ports(pod.container));
                    return containerPort < 0 ? null : pod.localPorts.get(containerPort);
                }
            }
        }
        return null;
    }

    // running and probing

    private void start(Pod pod) throws IOException {
        ProcessBuilder builder =
                new ProcessBuilder(pod.command)
                        .directory(pod.dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(pod.log().toFile()));
        builder.environment().clear();
        builder.environment().putAll(pod.environment);
        pod.process = builder.start();
        pod.startedAt = System.nanoTime();
    }

    private void probe(Pod pod, List<String> problems) {
        Map<Integer, Integer> localPorts = pod.localPorts;
        Map<String, Integer> declared = ports(pod.container);
        long startupDeadline = pod.startedAt + TimeUnit.SECONDS.toNanos(120);
        for (String kind : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            Map<String, Object> probe = map(pod.container, kind);
            if (probe.isEmpty()) {
                continue;
            }
            Map<String, Object> get = map(probe, "httpGet");
            if (get.isEmpty()) {
                problems.add(pod + ": " + kind + " is not an httpGet probe, not emulated here");
                continue;
            }
            int containerPort = Manifests.resolve(get.get("port"), declared);
            if (containerPort < 0) {
                problems.add(
                        pod
                                + ": "
                                + kind
                                + " port "
                                + get.get("port")
                                + " is no declared containerPort "
                                + declared);
                continue;
            }
            if (get.containsKey("scheme") && !"HTTP".equals(str(get, "scheme"))) {
                problems.add(
                        pod + ": " + kind + " scheme " + str(get, "scheme") + " not emulated here");
                continue;
            }
            long budget =
                    TimeUnit.SECONDS.toNanos(
                            seconds(probe, "initialDelaySeconds", 0)
                                    + seconds(probe, "periodSeconds", 10)
                                            * seconds(probe, "failureThreshold", 3));
            // the startup probe's budget counts from the start, a liveness probe's from the end of
            // the startup; Kubernetes only keeps an unready pod out of the endpoints, so readiness
            // gets at least the startup budget (the gateway is ready once caught up)
            long now = System.nanoTime();
            long deadline =
                    switch (kind) {
                        case "startupProbe" -> pod.startedAt + budget;
                        case "readinessProbe" -> Math.max(now + budget, startupDeadline);
                        default -> now + budget;
                    };
            if (kind.equals("startupProbe")) {
                startupDeadline = deadline;
            }
            URI url =
                    URI.create(
                            "http://127.0.0.1:" + localPorts.get(containerPort) + str(get, "path"));
            String failure =
                    awaitOk(
                            pod,
                            url,
                            list(get, "httpHeaders"),
                            Duration.ofSeconds(seconds(probe, "timeoutSeconds", 1)),
                            deadline);
            if (failure != null) {
                problems.add(
                        pod
                                + ": "
                                + kind
                                + " GET "
                                + str(get, "path")
                                + " on containerPort "
                                + get.get("port")
                                + " ("
                                + containerPort
                                + ", here "
                                + localPorts.get(containerPort)
                                + "): "
                                + failure
                                + "\n  last lines of "
                                + pod.log()
                                + ":\n"
                                + pod.logTail());
                return;
            }
        }
    }

    private static long seconds(Map<String, Object> probe, String field, long otherwise) {
        Object value = probe.get(field);
        return value == null ? otherwise : Long.parseLong(String.valueOf(value));
    }

    /**
     * Polls until 200 (null), or says what it saw last when the deadline passes or the pod dies.
     */
    private static String awaitOk(
            Pod pod, URI url, List<Map<String, Object>> headers, Duration timeout, long deadline) {
        String last = "no answer";
        while (true) {
            if (!pod.process.isAlive()) {
                return "the process exited with " + pod.process.exitValue();
            }
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout).GET();
                headers.forEach(h -> request.header(str(h, "name"), str(h, "value")));
                HttpResponse<String> response =
                        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return null;
                }
                if (response.statusCode() == 404) {
                    // Quarkus opens the port only once started: a 404 is a path it does not serve
                    return "404, a path the service does not serve: " + response.body();
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = "not answering (" + e.getClass().getSimpleName() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
            if (System.nanoTime() > deadline) {
                return "no 200 within the probe's budget; last " + last;
            }
            try {
                pod.process.waitFor(
                        200, TimeUnit.MILLISECONDS); // poll interval; returns if it exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
    }

    // the Ingress rules

    private void controlPlaneRules(Manifests m, String adminSecret, List<String> problems) {
        Map<String, Object> ingress = m.get("Ingress", RoutingTest.CONTROL_PLANE);
        Map<String, Object> dataPlane = m.get("Ingress", RoutingTest.DATA_PLANE);
        Integer gatewayPort =
                backendPort(m, map(dataPlane, "spec", "rules", "0", "http", "paths", "0"));
        List<Map<String, Object>> paths = new ArrayList<>();
        for (Map<String, Object> rule : list(ingress, "spec", "rules")) {
            paths.addAll(list(rule, "http", "paths"));
        }
        if (paths.isEmpty()) {
            problems.add(RoutingTest.CONTROL_PLANE + " has no rules");
        }
        for (Map<String, Object> path : paths) {
            String prefix = str(path, "path");
            String service = str(path, "backend", "service", "name");
            Integer port = backendPort(m, path);
            if (port == null) {
                problems.add(prefix + " -> " + service + ": the backend reaches no pod port");
                continue;
            }
            List<String> example = EXAMPLE_REQUESTS.getOrDefault(prefix, List.of("GET", prefix));
            String rule = prefix + " -> " + service + " (" + String.join(" ", example) + ")";
            URI url = URI.create("http://127.0.0.1:" + port + example.get(1));
            HttpResponse<String> withSecret = send(example.get(0), url, adminSecret);
            if (withSecret.statusCode() == 404 || withSecret.statusCode() >= 500) {
                problems.add(
                        rule + " answers " + withSecret.statusCode() + " " + withSecret.body());
            }
            HttpResponse<String> without = send(example.get(0), url, null);
            if (without.statusCode() != 401 && without.statusCode() != 403) {
                problems.add(
                        rule
                                + " without the admin secret answers "
                                + without.statusCode()
                                + ", not 401/403");
            }
            HttpResponse<String> wrong = send(example.get(0), url, adminSecret + "-not");
            if (wrong.statusCode() != 401 && wrong.statusCode() != 403) {
                problems.add(
                        rule
                                + " with a wrong admin secret answers "
                                + wrong.statusCode()
                                + ", not 401/403");
            }
            // the gateway forwards the same call to the same owner, through the Service URLs the
            // manifests give it (DESIGN.md §4): one hop more, the same answer
            if (gatewayPort != null && !port.equals(gatewayPort)) {
                HttpResponse<String> forwarded =
                        send(
                                example.get(0),
                                URI.create("http://127.0.0.1:" + gatewayPort + example.get(1)),
                                adminSecret);
                if (forwarded.statusCode() != withSecret.statusCode()) {
                    problems.add(
                            rule
                                    + " through the gateway answers "
                                    + forwarded.statusCode()
                                    + " "
                                    + forwarded.body()
                                    + ", directly "
                                    + withSecret.statusCode());
                }
            }
        }
    }

    /**
     * Each rule of the Dashboard's Ingress, through the Service it names: {@code /admin} with the
     * README's {@code dashboard-admin-secret} as {@code admin-auth}, {@code /api} with the access
     * key of a user made through {@code /admin} (its /api/apis is answered by admin-service, so a
     * 200 also proves the owner URL and the gateway secret the manifests give the Dashboard); each
     * refused without and with a wrong credential; {@code /analytics} the static page, open.
     */
    private void dashboardRules(Manifests m, String dashboardSecret, List<String> problems) {
        Map<String, Object> ingress = m.get("Ingress", RoutingTest.DASHBOARD);
        Map<String, Map<String, Object>> paths = new LinkedHashMap<>();
        for (Map<String, Object> rule : list(ingress, "spec", "rules")) {
            list(rule, "http", "paths").forEach(p -> paths.put(str(p, "path"), p));
        }
        if (dashboardSecret == null) {
            problems.add("the README's " + EXTERNAL_SECRET + " has no dashboard-admin-secret");
            return;
        }
        Integer adminPort =
                paths.containsKey("/admin") ? backendPort(m, paths.get("/admin")) : null;
        if (adminPort == null) {
            problems.add(RoutingTest.DASHBOARD + ": /admin reaches no pod port");
            return;
        }
        String admin = "http://127.0.0.1:" + adminPort;
        for (Map.Entry<String, Map<String, Object>> entry : paths.entrySet()) {
            String prefix = entry.getKey();
            String service = str(entry.getValue(), "backend", "service", "name");
            Integer port = backendPort(m, entry.getValue());
            if (port == null) {
                problems.add(prefix + " -> " + service + ": the backend reaches no pod port");
                continue;
            }
            String base = "http://127.0.0.1:" + port;
            switch (prefix) {
                case "/admin" ->
                        credentialChecked(
                                prefix + " -> " + service + " (GET /admin/organisations)",
                                URI.create(base + "/admin/organisations"),
                                DashboardCredential.ADMIN_SECRET,
                                dashboardSecret,
                                problems);
                case "/api" ->
                        credentialChecked(
                                prefix + " -> " + service + " (GET /api/apis)",
                                URI.create(base + "/api/apis"),
                                DashboardCredential.USER_KEY,
                                firstUsersAccessKey(admin, dashboardSecret),
                                problems);
                case "/analytics" -> analyticsPage(prefix + " -> " + service, base, problems);
                default ->
                        problems.add(
                                RoutingTest.DASHBOARD
                                        + ": "
                                        + prefix
                                        + " is no path of Tyk's Dashboard API (/api, /admin)"
                                        + " nor the analytics page (/analytics)");
            }
        }
    }

    /**
     * The analytics page is static and open (its script sends the user's key to /api): its page and
     * script answer 200 without a credential.
     */
    private static void analyticsPage(String rule, String base, List<String> problems) {
        HttpResponse<String> page =
                send("GET", URI.create(base + "/analytics/"), "authorization", null, null);
        if (page.statusCode() != 200 || !page.body().contains("analytics.js")) {
            problems.add(
                    rule + " (GET /analytics/) answers " + page.statusCode() + " " + page.body());
        }
        HttpResponse<String> script =
                send(
                        "GET",
                        URI.create(base + "/analytics/analytics.js"),
                        "authorization",
                        null,
                        null);
        if (script.statusCode() != 200 || !script.body().contains("/api/usage/apis/")) {
            problems.add(rule + " (GET /analytics/analytics.js) answers " + script.statusCode());
        }
    }

    /** The headers the Dashboard reads its credentials from. */
    private enum DashboardCredential {
        ADMIN_SECRET("admin-auth"),
        USER_KEY("authorization");

        final String header;

        DashboardCredential(String header) {
            this.header = header;
        }
    }

    private static void credentialChecked(
            String rule,
            URI url,
            DashboardCredential credential,
            String value,
            List<String> problems) {
        HttpResponse<String> with = send("GET", url, credential.header, value, null);
        if (with.statusCode() != 200) {
            problems.add(rule + " answers " + with.statusCode() + " " + with.body());
        }
        for (String wrong : java.util.Arrays.asList(null, value + "-not")) {
            HttpResponse<String> refused = send("GET", url, credential.header, wrong, null);
            if (refused.statusCode() != 401 && refused.statusCode() != 403) {
                problems.add(
                        rule
                                + (wrong == null ? " without " : " with a wrong ")
                                + credential.header
                                + " answers "
                                + refused.statusCode()
                                + ", not 401/403");
            }
        }
    }

    /** An organisation and its admin user, made through the Dashboard Admin API; its access key. */
    private static String firstUsersAccessKey(String admin, String dashboardSecret) {
        HttpResponse<String> org =
                send(
                        "POST",
                        URI.create(admin + "/admin/organisations"),
                        DashboardCredential.ADMIN_SECRET.header,
                        dashboardSecret,
                        "{\"owner_name\":\"Kubernetes IT\"}");
        String orgId = str(json(org), "Meta");
        HttpResponse<String> user =
                send(
                        "POST",
                        URI.create(admin + "/admin/users"),
                        DashboardCredential.ADMIN_SECRET.header,
                        dashboardSecret,
                        ("{\"org_id\":\"%s\",\"first_name\":\"Kay\",\"last_name\":\"Eights\","
                                        + "\"email_address\":\"kay@k8s-it.test\","
                                        + "\"user_permissions\":{\"IsAdmin\":\"admin\"}}")
                                .formatted(orgId));
        String accessKey = str(json(user), "Meta", "access_key");
        if (org.statusCode() != 200 || user.statusCode() != 200 || accessKey == null) {
            throw new AssertionError(
                    "the Dashboard Admin API made no user: "
                            + org.statusCode()
                            + " "
                            + org.body()
                            + ", "
                            + user.statusCode()
                            + " "
                            + user.body());
        }
        return accessKey;
    }

    private static Map<String, Object> json(HttpResponse<String> response) {
        try {
            return Manifests.YAML.readValue(
                    response.body(),
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            throw new AssertionError("not a JSON object: " + response.body(), e);
        }
    }

    private Integer backendPort(Manifests m, Map<String, Object> path) {
        Map<String, Object> port = map(path, "backend", "service", "port");
        boolean byName = port.containsKey("name");
        return servicePort(
                m,
                str(path, "backend", "service", "name"),
                String.valueOf(byName ? port.get("name") : port.get("number")),
                !byName);
    }

    private static HttpResponse<String> send(String method, URI url, String secret) {
        return send(method, url, ADMIN_HEADER, secret, null);
    }

    private static HttpResponse<String> send(
            String method, URI url, String header, String value, String body) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(url)
                        .timeout(Duration.ofSeconds(15))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (value != null) {
            request.header(header, value);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(method + " " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Map<String, Object> only(Manifests m, String kind) {
        List<Map<String, Object>> all = m.all(kind);
        if (all.size() != 1) {
            throw new AssertionError(
                    "overlays/" + OVERLAY + " should render one " + kind + ", has " + all.size());
        }
        return all.get(0);
    }

    @AfterEach
    void stopEverything() {
        for (Pod pod : pods) {
            if (pod.process != null) {
                pod.process.destroy();
            }
        }
        for (Pod pod : pods) {
            if (pod.process != null) {
                try {
                    if (!pod.process.waitFor(20, TimeUnit.SECONDS)) {
                        pod.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    pod.process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (broker != null) {
            broker.close();
        }
        if (brokerDir != null) {
            try (Stream<Path> files = Files.walk(brokerDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        databases.forEach(db -> TestInfrastructure.get().postgres().dropDatabase(db));
    }
}
