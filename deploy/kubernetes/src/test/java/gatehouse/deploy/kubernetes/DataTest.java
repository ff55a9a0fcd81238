package gatehouse.deploy.kubernetes;

import static gatehouse.deploy.kubernetes.Manifests.at;
import static gatehouse.deploy.kubernetes.Manifests.container;
import static gatehouse.deploy.kubernetes.Manifests.env;
import static gatehouse.deploy.kubernetes.Manifests.id;
import static gatehouse.deploy.kubernetes.Manifests.integer;
import static gatehouse.deploy.kubernetes.Manifests.list;
import static gatehouse.deploy.kubernetes.Manifests.map;
import static gatehouse.deploy.kubernetes.Manifests.str;
import static gatehouse.deploy.kubernetes.WorkloadsTest.check;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kafka, its topics and the databases against the code; the sizes each overlay promises; pinned
 * images.
 */
class DataTest {

    static List<String> overlays() {
        return Toolchain.overlays();
    }

    /** The brokers of a Kafka: the replicas of its node pools with the broker role. */
    static int brokers(Manifests m, String kafka) {
        return m.all("KafkaNodePool").stream()
                .filter(p -> kafka.equals(str(p, "metadata", "labels", "strimzi.io/cluster")))
                .filter(p -> Manifests.strings(p, "spec", "roles").contains("broker"))
                .mapToInt(p -> integer(p, "spec", "replicas"))
                .sum();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void kafkaIsKraftWithoutAutoCreationAndEveryStrimziResourceNamesIt(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<String> problems = new ArrayList<>();
        check(problems, m.all("Kafka").size() == 1, "one Kafka");
        Map<String, Object> kafka = m.all("Kafka").get(0);
        String cluster = Manifests.name(kafka);
        for (Map<String, Object> o : m.objects) {
            String kind = String.valueOf(o.get("kind"));
            if (kind.equals("KafkaNodePool") || kind.equals("KafkaTopic")) {
                check(
                        problems,
                        cluster.equals(str(o, "metadata", "labels", "strimzi.io/cluster")),
                        id(o) + ": strimzi.io/cluster must name the Kafka " + cluster);
            }
        }
        check(
                problems,
                m.all("KafkaNodePool").stream()
                        .anyMatch(
                                p -> Manifests.strings(p, "spec", "roles").contains("controller")),
                "KRaft: a node pool with the controller role");
        Map<String, Object> config = map(kafka, "spec", "kafka", "config");
        check(
                problems,
                "false".equals(String.valueOf(config.get("auto.create.topics.enable"))),
                "auto topic creation off");
        int brokers = brokers(m, cluster);
        for (String key :
                List.of(
                        "default.replication.factor",
                        "offsets.topic.replication.factor",
                        "transaction.state.log.replication.factor")) {
            check(
                    problems,
                    config.containsKey(key)
                            && Integer.parseInt(String.valueOf(config.get(key))) <= brokers,
                    key + " must be set and at most the " + brokers + " brokers");
        }
        int minIsr =
                Integer.parseInt(String.valueOf(config.getOrDefault("min.insync.replicas", "1")));
        for (String module : Sources.SERVICES.keySet()) {
            Map<String, String> settings = m.settings(container(m.deploymentOfImage(module)));
            String bootstrap = settings.get("KAFKA_BOOTSTRAP_SERVERS");
            boolean listens =
                    bootstrap != null
                            && list(kafka, "spec", "kafka", "listeners").stream()
                                    .anyMatch(
                                            l ->
                                                    bootstrap.equals(
                                                            cluster
                                                                    + "-kafka-bootstrap:"
                                                                    + str(l, "port")));
            check(
                    problems,
                    listens,
                    module
                            + ": KAFKA_BOOTSTRAP_SERVERS "
                            + bootstrap
                            + " is not a listener of Kafka "
                            + cluster);
            String rf = settings.get("GATEHOUSE_TOPICS_REPLICATION_FACTOR");
            check(
                    problems,
                    rf != null && Integer.parseInt(rf) <= brokers && Integer.parseInt(rf) >= minIsr,
                    module
                            + ": GATEHOUSE_TOPICS_REPLICATION_FACTOR "
                            + rf
                            + " must be between min.insync.replicas and the brokers");
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyTopicOfTheCodeHasAKafkaTopicWithItsPartitionsPolicyAndRetention(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<String> problems = new ArrayList<>();
        Map<String, Object> kafka = m.all("Kafka").get(0);
        int brokers = brokers(m, Manifests.name(kafka));
        int minIsr =
                Integer.parseInt(
                        String.valueOf(
                                map(kafka, "spec", "kafka", "config")
                                        .getOrDefault("min.insync.replicas", "1")));
        Set<String> declared = new TreeSet<>();
        for (Map<String, Object> topic : m.all("KafkaTopic")) {
            String name =
                    str(topic, "spec", "topicName") == null
                            ? Manifests.name(topic)
                            : str(topic, "spec", "topicName");
            declared.add(name);
            int replicas = integer(topic, "spec", "replicas");
            check(
                    problems,
                    replicas <= brokers,
                    id(topic) + ": " + replicas + " replicas on " + brokers + " brokers");
            check(
                    problems,
                    replicas >= minIsr,
                    id(topic) + ": fewer replicas than min.insync.replicas " + minIsr);
        }
        Set<String> code = new TreeSet<>();
        for (Sources.Topic topic : Sources.topics()) {
            code.add(topic.name());
            var resource =
                    m.all("KafkaTopic").stream()
                            .filter(
                                    t ->
                                            topic.name()
                                                    .equals(
                                                            str(t, "spec", "topicName") == null
                                                                    ? Manifests.name(t)
                                                                    : str(t, "spec", "topicName")))
                            .findFirst();
            if (resource.isEmpty()) {
                problems.add("no KafkaTopic for " + topic.name());
                continue;
            }
            Map<String, Object> t = resource.get();
            check(
                    problems,
                    integer(t, "spec", "partitions") == topic.partitions(),
                    id(t)
                            + ": partitions "
                            + at(t, "spec", "partitions")
                            + ", the code creates "
                            + topic.partitions());
            String policy = str(t, "spec", "config", "cleanup.policy");
            check(
                    problems,
                    (topic.compacted() ? "compact" : "delete").equals(policy),
                    id(t)
                            + ": cleanup.policy "
                            + policy
                            + ", the code's is "
                            + (topic.compacted() ? "compact" : "delete"));
            topic.config()
                    .forEach(
                            (key, value) ->
                                    check(
                                            problems,
                                            value.equals(str(t, "spec", "config", key)),
                                            id(t)
                                                    + ": "
                                                    + key
                                                    + " "
                                                    + str(t, "spec", "config", key)
                                                    + ", the code's is "
                                                    + value));
        }
        check(
                problems,
                code.equals(declared),
                "KafkaTopics " + declared + " must be exactly the code's topics " + code);
        for (String module : Sources.SERVICES.keySet()) {
            for (String topic : Sources.configuredTopics(module)) {
                check(
                        problems,
                        declared.contains(topic),
                        module + " uses topic " + topic + ", which has no KafkaTopic");
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyOwnerReadsItsOwnDatabaseFromItsClustersAppSecret(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<String> problems = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        for (String module : Sources.SERVICES.keySet()) {
            boolean owner =
                    Sources.properties(module).getProperty("quarkus.datasource.db-kind") != null;
            Map<String, Object> d = m.deploymentOfImage(module);
            Set<String> appSecrets = new TreeSet<>();
            for (Map<String, Object> variable : env(container(d)).values()) {
                String secret = str(variable, "valueFrom", "secretKeyRef", "name");
                if (secret != null && secret.endsWith("-app")) {
                    appSecrets.add(secret);
                }
            }
            if (!owner) {
                check(
                        problems,
                        appSecrets.isEmpty(),
                        id(d) + " owns no database but reads " + appSecrets);
                continue;
            }
            check(
                    problems,
                    appSecrets.size() == 1,
                    id(d) + " must read exactly one database's app secret, reads " + appSecrets);
            if (appSecrets.size() != 1) {
                continue;
            }
            String cluster = appSecrets.iterator().next().replaceAll("-app$", "");
            check(
                    problems,
                    m.find("Cluster", cluster).isPresent(),
                    id(d) + ": no CloudNativePG Cluster " + cluster);
            check(problems, used.add(cluster), cluster + " is shared by two services");
            Map<String, Map<String, Object>> env = env(container(d));
            for (String[] credential :
                    List.of(
                            new String[] {"QUARKUS_DATASOURCE_USERNAME", "username"},
                            new String[] {"QUARKUS_DATASOURCE_PASSWORD", "password"})) {
                Map<String, Object> ref = map(env.get(credential[0]), "valueFrom", "secretKeyRef");
                check(
                        problems,
                        (cluster + "-app").equals(str(ref, "name"))
                                && credential[1].equals(str(ref, "key")),
                        id(d)
                                + ": "
                                + credential[0]
                                + " from "
                                + cluster
                                + "-app/"
                                + credential[1]);
            }
            Map<String, String> settings = m.settings(container(d));
            for (String url :
                    List.of("QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_JDBC_URL")) {
                check(
                        problems,
                        settings.containsKey(url),
                        id(d) + ": " + url + " (the code's default points at 127.0.0.1)");
            }
        }
        Set<String> clusters = new TreeSet<>();
        m.all("Cluster").forEach(c -> clusters.add(Manifests.name(c)));
        check(
                problems,
                clusters.equals(used),
                "one Cluster per owner service: clusters " + clusters + ", used " + used);
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void eachOverlayHasTheSizesTheIssuePromises(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<String> problems = new ArrayList<>();
        int brokers = brokers(m, Manifests.name(m.all("Kafka").get(0)));
        Map<String, Object> config = map(m.all("Kafka").get(0), "spec", "kafka", "config");
        Map<String, Object> hpa = m.get("HorizontalPodAutoscaler", "gateway");
        if (overlay.equals("prod")) {
            check(problems, brokers == 3, "prod: 3 brokers, has " + brokers);
            check(
                    problems,
                    "2".equals(String.valueOf(config.get("min.insync.replicas"))),
                    "prod: min.insync.replicas 2");
            m.all("KafkaTopic")
                    .forEach(
                            t ->
                                    check(
                                            problems,
                                            integer(t, "spec", "replicas") == 3,
                                            id(t) + ": RF 3 in prod"));
            for (String owner :
                    List.of(
                            "admin-service",
                            "keys-service",
                            "oauth-service",
                            "dashboard-service")) {
                check(
                        problems,
                        integer(m.get("Deployment", owner), "spec", "replicas") >= 2,
                        owner + ": 2+ replicas in prod");
            }
            check(problems, integer(hpa, "spec", "minReplicas") >= 3, "prod: 3+ gateways");
            for (Map<String, Object> d : m.deployments()) {
                String image = str(container(d), "image");
                check(
                        problems,
                        image.contains("@sha256:")
                                || (image.matches(".*:[^/:]+$")
                                        && !image.endsWith(":latest")
                                        && !image.contains("SNAPSHOT")),
                        id(d) + ": pinned image, is " + image);
            }
            for (Map<String, Object> c : m.all("Cluster")) {
                check(
                        problems,
                        String.valueOf(str(c, "spec", "imageName")).matches(".*:[0-9][^/:]*$"),
                        id(c) + ": pinned PostgreSQL image");
            }
        } else if (overlay.equals("dev")) {
            check(problems, brokers == 1, "dev: one broker");
            check(
                    problems,
                    integer(hpa, "spec", "minReplicas") == 1
                            && integer(m.get("Deployment", "gateway"), "spec", "replicas") == 1,
                    "dev: one gateway");
            m.all("Cluster")
                    .forEach(
                            c ->
                                    check(
                                            problems,
                                            integer(c, "spec", "instances") == 1,
                                            id(c) + ": one instance in dev"));
        }
        assertEquals(List.of(), problems);
    }
}
