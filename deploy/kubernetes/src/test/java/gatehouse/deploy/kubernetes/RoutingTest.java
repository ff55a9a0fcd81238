package gatehouse.deploy.kubernetes;

import static gatehouse.deploy.kubernetes.Manifests.container;
import static gatehouse.deploy.kubernetes.Manifests.id;
import static gatehouse.deploy.kubernetes.Manifests.integer;
import static gatehouse.deploy.kubernetes.Manifests.list;
import static gatehouse.deploy.kubernetes.Manifests.map;
import static gatehouse.deploy.kubernetes.Manifests.podLabels;
import static gatehouse.deploy.kubernetes.Manifests.ports;
import static gatehouse.deploy.kubernetes.Manifests.str;
import static gatehouse.deploy.kubernetes.WorkloadsTest.check;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Services, Ingresses, the HPA and the PDBs resolve to real pods and ports; the control plane
 * routes as the code.
 */
class RoutingTest {

    static final String DATA_PLANE = "gatehouse-data-plane";
    static final String CONTROL_PLANE = "gatehouse-control-plane";
    static final String DASHBOARD = "gatehouse-dashboard";

    static List<String> overlays() {
        return Toolchain.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceSelectsPodsThatHaveItsTargetPorts(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> service : m.all("Service")) {
            List<Map<String, Object>> pods =
                    m.deployments().stream()
                            .filter(
                                    d ->
                                            Manifests.selectsPairs(
                                                    map(service, "spec", "selector"), podLabels(d)))
                            .toList();
            if (map(service, "spec", "selector").isEmpty() || pods.isEmpty()) {
                problems.add(id(service) + " selects no pods");
            }
            for (Map<String, Object> port : list(service, "spec", "ports")) {
                Object target = port.getOrDefault("targetPort", port.get("port"));
                for (Map<String, Object> d : pods) {
                    if (Manifests.resolve(target, ports(container(d))) < 0) {
                        problems.add(
                                id(service)
                                        + ": targetPort "
                                        + target
                                        + " is not a port of "
                                        + id(d));
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyIngressBackendIsARealServicePort(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<String> problems = new ArrayList<>();
        check(
                problems,
                m.find("Ingress", DATA_PLANE).isPresent()
                        && m.find("Ingress", CONTROL_PLANE).isPresent()
                        && m.find("Ingress", DASHBOARD).isPresent(),
                "three Ingresses: " + DATA_PLANE + ", " + CONTROL_PLANE + " and " + DASHBOARD);
        for (Map<String, Object> ingress : m.all("Ingress")) {
            check(
                    problems,
                    str(ingress, "spec", "ingressClassName") != null,
                    id(ingress) + ": an ingress class");
            List<String> hosts = new ArrayList<>();
            for (Map<String, Object> rule : list(ingress, "spec", "rules")) {
                hosts.add(str(rule, "host"));
                for (Map<String, Object> path : list(rule, "http", "paths")) {
                    String service = str(path, "backend", "service", "name");
                    Map<String, Object> port = map(path, "backend", "service", "port");
                    Object ref = port.containsKey("name") ? port.get("name") : port.get("number");
                    boolean resolves =
                            m.find("Service", service)
                                    .map(
                                            s ->
                                                    list(s, "spec", "ports").stream()
                                                            .anyMatch(
                                                                    p ->
                                                                            String.valueOf(ref)
                                                                                            .equals(
                                                                                                    str(
                                                                                                            p,
                                                                                                            "name"))
                                                                                    || String
                                                                                            .valueOf(
                                                                                                    ref)
                                                                                            .equals(
                                                                                                    str(
                                                                                                            p,
                                                                                                            "port"))))
                                    .orElse(false);
                    check(
                            problems,
                            resolves,
                            id(ingress)
                                    + ": "
                                    + str(path, "path")
                                    + " -> "
                                    + service
                                    + ":"
                                    + ref
                                    + " is not a port of a rendered Service");
                }
            }
            for (Map<String, Object> tls : list(ingress, "spec", "tls")) {
                check(
                        problems,
                        hosts.containsAll(Manifests.strings(tls, "hosts"))
                                && str(tls, "secretName") != null,
                        id(ingress)
                                + ": TLS hosts "
                                + Manifests.strings(tls, "hosts")
                                + " must be the rules' hosts "
                                + hosts);
            }
        }
        String dataHost = str(m.get("Ingress", DATA_PLANE), "spec", "rules", "0", "host");
        String controlHost = str(m.get("Ingress", CONTROL_PLANE), "spec", "rules", "0", "host");
        String dashboardHost = str(m.get("Ingress", DASHBOARD), "spec", "rules", "0", "host");
        check(
                problems,
                dataHost != null && !dataHost.equals(controlHost),
                "the control plane has a host of its own");
        check(
                problems,
                dashboardHost != null
                        && !dashboardHost.equals(dataHost)
                        && !dashboardHost.equals(controlHost),
                "the Dashboard has a host of its own, is " + dashboardHost);
        check(
                problems,
                "gateway".equals(route(m.get("Ingress", DATA_PLANE), "/any/api/path")),
                "the data plane sends every path to the gateway");
        if (overlay.equals("prod")) {
            for (Map<String, Object> ingress : m.all("Ingress")) {
                check(
                        problems,
                        !list(ingress, "spec", "tls").isEmpty(),
                        id(ingress) + ": TLS in prod");
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theControlPlaneRoutesEveryControlPathToTheServiceThatServesIt(String overlay) {
        Manifests m = Manifests.of(overlay);
        Map<String, Object> ingress = m.get("Ingress", CONTROL_PLANE);
        Map<String, String> expected = new LinkedHashMap<>(Sources.ownerPaths());
        for (String path : Sources.gatewayControlPaths()) {
            expected.put(path, "gateway");
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            for (String probe : List.of(e.getKey(), e.getKey() + "/some-id")) {
                String service = route(ingress, probe);
                if (!e.getValue().equals(service)) {
                    problems.add(
                            probe + " goes to " + service + ", but " + e.getValue() + " serves it");
                }
            }
        }
        // nothing else: every rule's path is one the code serves, at the service the code names
        for (Map<String, Object> path : list(ingress, "spec", "rules", "0", "http", "paths")) {
            String p = str(path, "path");
            check(
                    problems,
                    "Prefix".equals(str(path, "pathType")),
                    CONTROL_PLANE + ": " + p + " must be a Prefix path");
            String owner = expected.get(p);
            check(
                    problems,
                    owner != null && owner.equals(str(path, "backend", "service", "name")),
                    CONTROL_PLANE
                            + ": "
                            + p
                            + " -> "
                            + str(path, "backend", "service", "name")
                            + " is not a route the code serves");
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theDashboardHostRoutesTheDashboardApiToDashboardServiceAndNothingElse(String overlay) {
        Manifests m = Manifests.of(overlay);
        Map<String, Object> ingress = m.get("Ingress", DASHBOARD);
        String service = Sources.SERVICES.get("dashboard-service");
        List<String> problems = new ArrayList<>();
        check(
                problems,
                list(ingress, "spec", "rules").size() == 1,
                DASHBOARD + ": one rule, on the Dashboard's host");
        for (String root : Sources.dashboardPathRoots()) {
            for (String probe : List.of(root, root + "/users", root + "/apis/some-id")) {
                String routed = route(ingress, probe);
                check(
                        problems,
                        service.equals(routed),
                        probe + " goes to " + routed + ", but " + service + " serves it");
            }
        }
        for (String elsewhere : List.of("/", "/tyk/apis", "/hello", "/q/metrics", "/apis")) {
            String routed = route(ingress, elsewhere);
            check(
                    problems,
                    routed == null,
                    DASHBOARD + ": " + elsewhere + " goes to " + routed + ", not a Dashboard path");
        }
        for (Map<String, Object> path : list(ingress, "spec", "rules", "0", "http", "paths")) {
            String p = str(path, "path");
            check(
                    problems,
                    "Prefix".equals(str(path, "pathType")),
                    DASHBOARD + ": " + p + " must be a Prefix path");
            check(
                    problems,
                    Sources.dashboardPathRoots().contains(p)
                            && service.equals(str(path, "backend", "service", "name")),
                    DASHBOARD
                            + ": "
                            + p
                            + " -> "
                            + str(path, "backend", "service", "name")
                            + " is not a path root "
                            + Sources.dashboardPathRoots()
                            + " of "
                            + service);
        }
        for (Map<String, Object> other : m.all("Ingress")) {
            if (DASHBOARD.equals(Manifests.name(other))) {
                continue;
            }
            for (Map<String, Object> rule : list(other, "spec", "rules")) {
                for (Map<String, Object> path : list(rule, "http", "paths")) {
                    check(
                            problems,
                            !service.equals(str(path, "backend", "service", "name")),
                            id(other) + ": " + str(path, "path") + " exposes " + service);
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /**
     * The Service an Ingress sends a request path to (Prefix and Exact, longest match), or null.
     */
    static String route(Map<String, Object> ingress, String request) {
        String best = null;
        int length = -1;
        for (Map<String, Object> path : list(ingress, "spec", "rules", "0", "http", "paths")) {
            String p = str(path, "path");
            boolean matches =
                    "Exact".equals(str(path, "pathType"))
                            ? request.equals(p)
                            : p.equals("/")
                                    || request.equals(p)
                                    || request.startsWith(p.endsWith("/") ? p : p + "/");
            if (matches && p.length() > length) {
                best = str(path, "backend", "service", "name");
                length = p.length();
            }
        }
        return best;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theAutoscalerAndTheDisruptionBudgetsTargetRealPods(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<String> problems = new ArrayList<>();
        check(
                problems,
                m.find("HorizontalPodAutoscaler", "gateway").isPresent(),
                "an HPA on the gateway");
        for (Map<String, Object> hpa : m.all("HorizontalPodAutoscaler")) {
            Map<String, Object> target = map(hpa, "spec", "scaleTargetRef");
            var deployment = m.find(str(target, "kind"), str(target, "name"));
            check(
                    problems,
                    "apps/v1".equals(str(target, "apiVersion")) && deployment.isPresent(),
                    id(hpa) + ": scaleTargetRef " + target + " names no rendered object");
            check(
                    problems,
                    integer(hpa, "spec", "minReplicas") <= integer(hpa, "spec", "maxReplicas"),
                    id(hpa) + ": min <= max");
            deployment.ifPresent(
                    d ->
                            check(
                                    problems,
                                    Manifests.at(container(d), "resources", "requests", "cpu")
                                            != null,
                                    id(hpa) + ": CPU utilization needs CPU requests on " + id(d)));
        }
        for (String module : Sources.SERVICES.keySet()) {
            Map<String, Object> d = m.deploymentOfImage(module);
            List<Map<String, Object>> budgets =
                    m.all("PodDisruptionBudget").stream()
                            .filter(
                                    p ->
                                            Manifests.selects(
                                                    map(p, "spec", "selector"), podLabels(d)))
                            .toList();
            check(
                    problems,
                    budgets.size() == 1,
                    id(d) + " needs exactly one PodDisruptionBudget, has " + budgets.size());
        }
        for (Map<String, Object> pdb : m.all("PodDisruptionBudget")) {
            long pods =
                    m.deployments().stream()
                            .filter(
                                    d ->
                                            Manifests.selects(
                                                    map(pdb, "spec", "selector"), podLabels(d)))
                            .count();
            check(problems, pods == 1, id(pdb) + " selects the pods of " + pods + " Deployments");
        }
        assertEquals(List.of(), problems);
    }
}
