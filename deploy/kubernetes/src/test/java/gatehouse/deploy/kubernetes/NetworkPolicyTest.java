package gatehouse.deploy.kubernetes;

import static gatehouse.deploy.kubernetes.Manifests.container;
import static gatehouse.deploy.kubernetes.Manifests.id;
import static gatehouse.deploy.kubernetes.Manifests.list;
import static gatehouse.deploy.kubernetes.Manifests.map;
import static gatehouse.deploy.kubernetes.Manifests.podLabels;
import static gatehouse.deploy.kubernetes.Manifests.ports;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The NetworkPolicies, evaluated as Kubernetes does (a flow passes when the source's egress and the
 * destination's ingress both allow it; a pod no policy selects for a direction is open in it) over
 * the rendered pods, the pods the operators create, and the namespaces around the suite: each
 * required flow passes, each forbidden one is refused, and every selector selects something.
 */
class NetworkPolicyTest {

    /**
     * A pod: its namespace, its labels and its named ports. An ip pod has no labels and is outside
     * the cluster.
     */
    record Pod(
            String name,
            String namespace,
            Map<String, String> labels,
            Map<String, Integer> ports,
            boolean external) {}

    static List<String> overlays() {
        return Toolchain.overlays();
    }

    /**
     * The pods of the rendered overlay, of its operators, and of the namespaces the policies open
     * to.
     */
    static Map<String, Pod> pods(Manifests m) {
        String ns = Manifests.str(m.objects.get(0), "metadata", "namespace");
        Map<String, Pod> pods = new LinkedHashMap<>();
        for (Map<String, Object> d : m.deployments()) {
            pods.put(
                    Manifests.name(d),
                    new Pod(Manifests.name(d), ns, podLabels(d), ports(container(d)), false));
        }
        for (Map<String, Object> kafka : m.all("Kafka")) {
            String cluster = Manifests.name(kafka);
            pods.put(
                    "kafka",
                    new Pod(
                            "kafka",
                            ns,
                            Map.of(
                                    "strimzi.io/cluster",
                                    cluster,
                                    "strimzi.io/kind",
                                    "Kafka",
                                    "strimzi.io/name",
                                    cluster + "-kafka"),
                            Map.of(
                                    "tcp-clients",
                                    9092,
                                    "tcp-ctrlplane",
                                    9090,
                                    "tcp-replication",
                                    9091),
                            false));
            pods.put(
                    "entity-operator",
                    new Pod(
                            "entity-operator",
                            ns,
                            Map.of(
                                    "strimzi.io/cluster",
                                    cluster,
                                    "strimzi.io/kind",
                                    "Kafka",
                                    "strimzi.io/name",
                                    cluster + "-entity-operator"),
                            Map.of(),
                            false));
        }
        for (Map<String, Object> cluster : m.all("Cluster")) {
            String name = Manifests.name(cluster);
            pods.put(
                    name,
                    new Pod(
                            name,
                            ns,
                            Map.of("cnpg.io/cluster", name, "cnpg.io/podRole", "instance"),
                            Map.of("postgresql", 5432, "metrics", 9187, "status", 8000),
                            false));
        }
        pods.put(
                "ingress-controller",
                new Pod(
                        "ingress-controller",
                        "ingress-nginx",
                        Map.of("app.kubernetes.io/name", "ingress-nginx"),
                        Map.of(),
                        false));
        pods.put(
                "prometheus",
                new Pod(
                        "prometheus",
                        "monitoring",
                        Map.of("app.kubernetes.io/name", "prometheus"),
                        Map.of(),
                        false));
        pods.put(
                "strimzi-operator",
                new Pod(
                        "strimzi-operator",
                        "strimzi",
                        Map.of("name", "strimzi-cluster-operator"),
                        Map.of(),
                        false));
        pods.put(
                "cnpg-operator",
                new Pod(
                        "cnpg-operator",
                        "cnpg-system",
                        Map.of("app.kubernetes.io/name", "cloudnative-pg"),
                        Map.of(),
                        false));
        pods.put(
                "kube-dns",
                new Pod(
                        "kube-dns",
                        "kube-system",
                        Map.of("k8s-app", "kube-dns"),
                        Map.of("dns", 53),
                        false));
        pods.put(
                "other-namespace",
                new Pod(
                        "other-namespace",
                        "someone-else",
                        Map.of("app.kubernetes.io/name", "gateway"),
                        Map.of(),
                        false));
        pods.put("internet", new Pod("internet", null, Map.of(), Map.of(), true));
        return pods;
    }

    static boolean allowed(Manifests m, Pod from, Pod to, int port, String protocol) {
        return direction(m, from, to, port, protocol, "Egress")
                && direction(m, to, from, port, protocol, "Ingress");
    }

    /**
     * Whether the policies of {@code self} let traffic to (Egress) or from (Ingress) {@code peer}
     * pass.
     */
    private static boolean direction(
            Manifests m, Pod self, Pod peer, int port, String protocol, String type) {
        if (self.external()) {
            return true;
        }
        String ns = Manifests.str(m.objects.get(0), "metadata", "namespace");
        if (!ns.equals(self.namespace())) {
            return true; // other namespaces' policies are not ours
        }
        boolean selected = false;
        Pod destination = type.equals("Egress") ? peer : self;
        for (Map<String, Object> policy : m.all("NetworkPolicy")) {
            if (!Manifests.selects(map(policy, "spec", "podSelector"), self.labels())) {
                continue;
            }
            List<String> types = Manifests.strings(policy, "spec", "policyTypes");
            if (!types.contains(type)) {
                continue;
            }
            selected = true;
            String rulesKey = type.equals("Egress") ? "egress" : "ingress";
            String peersKey = type.equals("Egress") ? "to" : "from";
            for (Map<String, Object> rule : list(policy, "spec", rulesKey)) {
                List<Map<String, Object>> peers = list(rule, peersKey);
                boolean peerOk =
                        peers.isEmpty() || peers.stream().anyMatch(p -> matches(p, peer, ns));
                List<Map<String, Object>> rulePorts = list(rule, "ports");
                boolean portOk =
                        rulePorts.isEmpty()
                                || rulePorts.stream()
                                        .anyMatch(
                                                p ->
                                                        protocol.equals(
                                                                        p.getOrDefault(
                                                                                "protocol", "TCP"))
                                                                && (p.get("port") == null
                                                                        || Manifests.resolve(
                                                                                        p.get(
                                                                                                "port"),
                                                                                        destination
                                                                                                .ports())
                                                                                == port
                                                                        || String.valueOf(port)
                                                                                .equals(
                                                                                        String
                                                                                                .valueOf(
                                                                                                        p
                                                                                                                .get(
                                                                                                                        "port")))));
                if (peerOk && portOk) {
                    return true;
                }
            }
        }
        return !selected;
    }

    private static boolean matches(Map<String, Object> peer, Pod pod, String policyNamespace) {
        if (peer.containsKey("ipBlock")) {
            return pod.external(); // pod IPs are not what ipBlocks are for
        }
        if (pod.external()) {
            return false;
        }
        boolean namespaceOk =
                peer.containsKey("namespaceSelector")
                        ? Manifests.selects(
                                map(peer, "namespaceSelector"),
                                Map.of("kubernetes.io/metadata.name", pod.namespace()))
                        : policyNamespace.equals(pod.namespace());
        boolean podOk =
                !peer.containsKey("podSelector")
                        || Manifests.selects(map(peer, "podSelector"), pod.labels());
        return namespaceOk && podOk;
    }

    record Flow(String from, String to, int port, String protocol) {
        @Override
        public String toString() {
            return from + " -> " + to + ":" + port + "/" + protocol;
        }
    }

    static Flow tcp(String from, String to, int port) {
        return new Flow(from, to, port, "TCP");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theSuiteCanTalkAsItNeedsAndNoMore(String overlay) {
        Manifests m = Manifests.of(overlay);
        Map<String, Pod> pods = pods(m);
        List<Flow> required = new ArrayList<>();
        List<Flow> refused = new ArrayList<>();
        List<String> owners = List.of("admin-service", "keys-service", "oauth-service");
        String dashboard = "dashboard-service";
        Map<String, String> databases =
                Map.of(
                        "admin-service",
                        "admin-db",
                        "keys-service",
                        "keys-db",
                        "oauth-service",
                        "oauth-db",
                        dashboard,
                        "dashboard-db");
        required.add(tcp("ingress-controller", "gateway", 8080));
        required.add(tcp("prometheus", "gateway", 9180));
        required.add(tcp("gateway", "kafka", 9092));
        required.add(tcp("gateway", "internet", 443));
        required.add(tcp("keys-service", "admin-service", 8080));
        required.add(tcp("oauth-service", "admin-service", 8080));
        required.add(tcp("oauth-service", "keys-service", 8080));
        required.add(tcp("kafka", "kafka", 9091));
        required.add(tcp("strimzi-operator", "kafka", 9091));
        required.add(tcp("entity-operator", "kafka", 9092));
        refused.add(tcp("ingress-controller", "kafka", 9092));
        refused.add(tcp("internet", "gateway", 8080));
        refused.add(tcp("other-namespace", "gateway", 8080));
        refused.add(tcp("other-namespace", "kafka", 9092));
        refused.add(tcp("gateway", "internet", 5432));
        refused.add(tcp("keys-service", "oauth-service", 8080));
        refused.add(tcp("admin-service", "keys-service", 8080));
        // the Dashboard: reached through its Ingress, it calls the three owners and consumes
        // analytics
        required.add(tcp("ingress-controller", dashboard, 8080));
        required.add(tcp("prometheus", dashboard, 8080));
        refused.add(tcp("gateway", dashboard, 8080));
        refused.add(tcp("other-namespace", dashboard, 8080));
        refused.add(tcp("internet", dashboard, 8080));
        required.add(tcp(dashboard, "kafka", 9092));
        refused.add(tcp(dashboard, "gateway", 8080));
        refused.add(tcp(dashboard, "internet", 443));
        for (Map.Entry<String, String> owned : databases.entrySet()) {
            String service = owned.getKey();
            String db = owned.getValue();
            required.add(tcp(service, db, 5432));
            required.add(tcp(db, db, 5432));
            required.add(tcp("cnpg-operator", db, 8000));
            refused.add(tcp("gateway", db, 5432));
            refused.add(tcp("ingress-controller", db, 5432));
            for (Map.Entry<String, String> other : databases.entrySet()) {
                if (!other.getKey().equals(service)) {
                    refused.add(tcp(service, other.getValue(), 5432));
                }
            }
        }
        for (Map.Entry<String, Pod> pod : pods.entrySet()) {
            if (!pod.getValue().external()
                    && pod.getValue().namespace().equals(pods.get("gateway").namespace())) {
                required.add(new Flow(pod.getKey(), "kube-dns", 53, "UDP"));
            }
        }
        for (String owner : owners) {
            required.add(tcp("ingress-controller", owner, 8080));
            required.add(tcp("prometheus", owner, 8080));
            required.add(tcp("gateway", owner, 8080));
            required.add(tcp(owner, "kafka", 9092));
            required.add(tcp(dashboard, owner, 8080));
            refused.add(tcp(owner, dashboard, 8080));
        }
        List<String> problems = new ArrayList<>();
        for (Flow flow : required) {
            if (!allowed(
                    m, pods.get(flow.from()), pods.get(flow.to()), flow.port(), flow.protocol())) {
                problems.add("refused but needed: " + flow);
            }
        }
        for (Flow flow : refused) {
            if (allowed(
                    m, pods.get(flow.from()), pods.get(flow.to()), flow.port(), flow.protocol())) {
                problems.add("allowed but must be refused: " + flow);
            }
        }
        assertEquals(List.of(), problems, overlay);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everySelectorOfEveryPolicySelectsPodsAndEveryNamedPortExists(String overlay) {
        Manifests m = Manifests.of(overlay);
        Map<String, Pod> pods = pods(m);
        String ns = Manifests.str(m.objects.get(0), "metadata", "namespace");
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> policy : m.all("NetworkPolicy")) {
            List<Pod> selected =
                    pods.values().stream()
                            .filter(
                                    p ->
                                            ns.equals(p.namespace())
                                                    && Manifests.selects(
                                                            map(policy, "spec", "podSelector"),
                                                            p.labels()))
                            .toList();
            if (selected.isEmpty()) {
                problems.add(id(policy) + ": podSelector selects no pod");
            }
            for (String key : List.of("ingress", "egress")) {
                for (Map<String, Object> rule : list(policy, "spec", key)) {
                    for (Map<String, Object> peer :
                            list(rule, key.equals("ingress") ? "from" : "to")) {
                        if (!peer.containsKey("ipBlock")
                                && pods.values().stream().noneMatch(p -> matches(peer, p, ns))) {
                            problems.add(id(policy) + ": peer " + peer + " selects no pod");
                        }
                    }
                    for (Map<String, Object> port : list(rule, "ports")) {
                        Object ref = port.get("port");
                        if (ref != null
                                && !String.valueOf(ref).matches("\\d+")
                                && key.equals("ingress")
                                && selected.stream()
                                        .anyMatch(
                                                p -> !p.ports().containsKey(String.valueOf(ref)))) {
                            problems.add(
                                    id(policy)
                                            + ": named port "
                                            + ref
                                            + " is not a port of every selected pod");
                        }
                    }
                }
            }
        }
        check(
                problems,
                m.find("NetworkPolicy", "default-deny")
                        .map(
                                p ->
                                        map(p, "spec", "podSelector").isEmpty()
                                                && Manifests.strings(p, "spec", "policyTypes")
                                                        .containsAll(List.of("Ingress", "Egress")))
                        .orElse(false),
                "deny by default: a policy selecting every pod for ingress and egress");
        assertEquals(List.of(), problems);
    }

    private static void check(List<String> problems, boolean ok, String requirement) {
        WorkloadsTest.check(problems, ok, requirement);
    }
}
