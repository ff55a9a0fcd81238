package gatehouse.deploy.kubernetes;

import static gatehouse.deploy.kubernetes.Manifests.at;
import static gatehouse.deploy.kubernetes.Manifests.container;
import static gatehouse.deploy.kubernetes.Manifests.env;
import static gatehouse.deploy.kubernetes.Manifests.id;
import static gatehouse.deploy.kubernetes.Manifests.integer;
import static gatehouse.deploy.kubernetes.Manifests.list;
import static gatehouse.deploy.kubernetes.Manifests.map;
import static gatehouse.deploy.kubernetes.Manifests.podLabels;
import static gatehouse.deploy.kubernetes.Manifests.ports;
import static gatehouse.deploy.kubernetes.Manifests.str;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Deployments against the code: ports, probes, configuration, secrets, security, shutdown,
 * sizing.
 */
class WorkloadsTest {

    /**
     * Settings the services read that are not theirs: Quarkus's own, and run-java.sh's (the image's
     * launcher).
     */
    private static final Set<String> PLATFORM_VARIABLES =
            Set.of(
                    "QUARKUS_SHUTDOWN_TIMEOUT",
                    "QUARKUS_HTTP_PORT",
                    "QUARKUS_MANAGEMENT_PORT",
                    "JAVA_MAX_MEM_RATIO",
                    "JAVA_INITIAL_MEM_RATIO",
                    "JAVA_OPTS_APPEND");

    /** The secrets the services read (each that reads one must get it from a Secret). */
    private static final Set<String> SECRET_VARIABLES =
            Set.of(
                    "TYK_GW_SECRET",
                    "GATEHOUSE_KEY_DIGEST_SECRET",
                    "GATEHOUSE_DASHBOARD_ADMIN_SECRET");

    /**
     * Secrets not in the render: created by the operator of the cluster (README) or by
     * CloudNativePG.
     */
    static final String EXTERNAL_SECRET = "gatehouse-secrets";

    private static final Set<String> QUARKUS_HEALTH =
            Set.of("/q/health/live", "/q/health/ready", "/q/health/started");

    static List<String> overlays() {
        return Toolchain.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceHasADeploymentWhoseSelectorMatchesItsPods(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<String> problems = new ArrayList<>();
        for (String module : Sources.SERVICES.keySet()) {
            Map<String, Object> deployment = m.deploymentOfImage(module);
            if (!Sources.SERVICES.get(module).equals(Manifests.name(deployment))) {
                problems.add(module + " runs in Deployment " + Manifests.name(deployment));
            }
        }
        for (Map<String, Object> d : m.deployments()) {
            Map<String, Object> selector = map(d, "spec", "selector");
            if (selector.isEmpty() || !Manifests.selects(selector, podLabels(d))) {
                problems.add(
                        id(d)
                                + ": selector "
                                + selector
                                + " does not match its pod labels "
                                + podLabels(d));
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void probesUseTheHealthPathsAndPortsTheCodeServes(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<String> problems = new ArrayList<>();
        for (String module : Sources.SERVICES.keySet()) {
            Map<String, Object> deployment = m.deploymentOfImage(module);
            Map<String, Object> c = container(deployment);
            Map<String, Integer> ports = ports(c);
            Map<String, String> settings = m.settings(c);
            Properties properties = Sources.properties(module);
            int http =
                    Integer.parseInt(
                            settings.getOrDefault(
                                    "QUARKUS_HTTP_PORT",
                                    properties.getProperty("quarkus.http.port")));
            if (!ports.containsValue(http)) {
                problems.add(
                        id(deployment) + ": listens on " + http + " but declares ports " + ports);
            }
            boolean management =
                    Boolean.parseBoolean(
                            properties.getProperty("quarkus.management.enabled", "false"));
            int managementPort =
                    management
                            ? Integer.parseInt(
                                    settings.getOrDefault(
                                            "QUARKUS_MANAGEMENT_PORT",
                                            properties.getProperty(
                                                    "quarkus.management.port", "9000")))
                            : http;
            if (management
                    && !String.valueOf(managementPort)
                            .equals(properties.getProperty("quarkus.management.port"))) {
                problems.add(
                        id(deployment)
                                + ": management port "
                                + managementPort
                                + " differs from the code's "
                                + properties.getProperty("quarkus.management.port"));
            }
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                Map<String, Object> get = map(c, probe, "httpGet");
                if (get.isEmpty()) {
                    problems.add(id(deployment) + ": no HTTP " + probe);
                    continue;
                }
                int port = Manifests.resolve(get.get("port"), ports);
                String path = str(get, "path");
                boolean quarkusHealth =
                        QUARKUS_HEALTH.contains(path)
                                && Sources.hasQuarkusHealth(module)
                                && port == managementPort;
                boolean gatewayFront =
                        module.equals("gateway-service")
                                && Sources.gatewayFrontPaths().contains(path)
                                && port == http;
                if (!quarkusHealth && !gatewayFront) {
                    problems.add(
                            id(deployment)
                                    + ": "
                                    + probe
                                    + " "
                                    + path
                                    + " on port "
                                    + get.get("port")
                                    + " ("
                                    + port
                                    + ") is not served there");
                }
            }
            if (module.equals("gateway-service")
                    && !"/ready".equals(str(c, "readinessProbe", "httpGet", "path"))) {
                problems.add(
                        "the gateway is ready when caught up with the state topics (/ready), not on its owners' health");
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyVariableIsOneTheServiceReadsAndSecretsComeFromSecrets(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<String> problems = new ArrayList<>();
        for (String module : Sources.SERVICES.keySet()) {
            Map<String, Object> deployment = m.deploymentOfImage(module);
            Map<String, Object> c = container(deployment);
            Set<String> known = Sources.knownVariables(module);
            Map<String, Map<String, Object>> env = env(c);
            Set<String> expanded = new java.util.HashSet<>();
            for (Map<String, Object> variable : env.values()) {
                Matcher ref =
                        Pattern.compile("\\$\\(([A-Z0-9_]+)\\)")
                                .matcher(String.valueOf(variable.getOrDefault("value", "")));
                while (ref.find()) {
                    expanded.add(ref.group(1));
                }
            }
            for (String name : env.keySet()) {
                if (!known.contains(name)
                        && !PLATFORM_VARIABLES.contains(name)
                        && !expanded.contains(name)) {
                    problems.add(
                            id(deployment)
                                    + ": "
                                    + name
                                    + " is not a setting "
                                    + module
                                    + " reads");
                }
            }
            for (String secret : SECRET_VARIABLES) {
                Map<String, Object> variable = env.get(secret);
                if (!known.contains(secret)) {
                    continue;
                }
                if (variable == null
                        || str(variable, "valueFrom", "secretKeyRef", "name") == null) {
                    problems.add(
                            id(deployment)
                                    + ": "
                                    + secret
                                    + " must come from a Secret (secretKeyRef)");
                }
            }
            for (Map<String, Object> variable : env.values()) {
                String secretName = str(variable, "valueFrom", "secretKeyRef", "name");
                if (secretName != null
                        && m.find("Secret", secretName).isEmpty()
                        && !secretName.equals(EXTERNAL_SECRET)
                        && !(secretName.endsWith("-app")
                                && m.find("Cluster", secretName.replaceAll("-app$", ""))
                                        .isPresent())) {
                    problems.add(
                            id(deployment)
                                    + ": Secret "
                                    + secretName
                                    + " is neither rendered, nor "
                                    + EXTERNAL_SECRET
                                    + ", nor a CloudNativePG Cluster's app secret");
                }
            }
            for (Map.Entry<String, String> setting : m.settings(c).entrySet()) {
                if (setting.getKey().matches(".*(SECRET|PASSWORD|TOKEN).*")) {
                    problems.add(
                            id(deployment) + ": " + setting.getKey() + " is given in plain text");
                }
            }
        }
        for (Map<String, Object> configMap : m.all("ConfigMap")) {
            for (String key : map(configMap, "data").keySet()) {
                if (key.matches(".*(SECRET|PASSWORD|TOKEN).*")) {
                    problems.add(id(configMap) + " holds " + key + ": secrets belong in Secrets");
                }
                boolean someoneReadsIt =
                        PLATFORM_VARIABLES.contains(key)
                                || Sources.SERVICES.keySet().stream()
                                        .anyMatch(s -> Sources.knownVariables(s).contains(key));
                if (!someoneReadsIt) {
                    problems.add(id(configMap) + ": " + key + " is a setting no service reads");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void podsAreLockedDownSizedAndDrainOnShutdown(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> d : m.deployments()) {
            Map<String, Object> pod = map(d, "spec", "template", "spec");
            Map<String, Object> c = container(d);
            String who = id(d);
            check(
                    problems,
                    Boolean.TRUE.equals(at(pod, "securityContext", "runAsNonRoot")),
                    who + ": runAsNonRoot");
            check(
                    problems,
                    "RuntimeDefault".equals(str(pod, "securityContext", "seccompProfile", "type")),
                    who + ": seccomp RuntimeDefault");
            check(
                    problems,
                    Boolean.TRUE.equals(at(c, "securityContext", "readOnlyRootFilesystem")),
                    who + ": read-only root file system");
            check(
                    problems,
                    Boolean.FALSE.equals(at(c, "securityContext", "allowPrivilegeEscalation")),
                    who + ": no privilege escalation");
            check(
                    problems,
                    Manifests.strings(c, "securityContext", "capabilities", "drop").contains("ALL"),
                    who + ": drop ALL capabilities");
            check(
                    problems,
                    Boolean.FALSE.equals(at(pod, "automountServiceAccountToken")),
                    who + ": no service account token");
            Set<String> emptyDirs = new java.util.HashSet<>();
            for (Map<String, Object> volume : list(pod, "volumes")) {
                if (volume.containsKey("emptyDir")) {
                    emptyDirs.add(str(volume, "name"));
                }
            }
            List<String> emptyDirMounts =
                    list(c, "volumeMounts").stream()
                            .filter(v -> emptyDirs.contains(str(v, "name")))
                            .map(v -> str(v, "mountPath"))
                            .toList();
            check(problems, emptyDirMounts.contains("/tmp"), who + ": /tmp on an emptyDir");
            for (String resource : List.of("requests.cpu", "requests.memory", "limits.memory")) {
                String[] path = resource.split("\\.");
                check(
                        problems,
                        at(c, "resources", path[0], path[1]) != null,
                        who + ": resources." + resource);
            }
            Map<String, String> settings = m.settings(c);
            check(
                    problems,
                    settings.containsKey("JAVA_MAX_MEM_RATIO"),
                    who + ": heap sized from the container limit");
            int grace =
                    at(pod, "terminationGracePeriodSeconds") == null
                            ? 30
                            : integer(pod, "terminationGracePeriodSeconds");
            Object pause = at(c, "lifecycle", "preStop", "sleep", "seconds");
            check(
                    problems,
                    pause != null,
                    who + ": a preStop pause so endpoints stop sending before the drain");
            int shutdown =
                    Integer.parseInt(
                            settings.getOrDefault("QUARKUS_SHUTDOWN_TIMEOUT", "0s")
                                    .replaceAll("s$", ""));
            check(
                    problems,
                    shutdown > 0,
                    who + ": QUARKUS_SHUTDOWN_TIMEOUT drains in-flight requests");
            check(
                    problems,
                    pause != null && Integer.parseInt(pause.toString()) + shutdown < grace,
                    who
                            + ": preStop + shutdown timeout must end before terminationGracePeriodSeconds "
                            + grace);
        }
        Map<String, Object> gateway = container(m.deploymentOfImage("gateway-service"));
        Map<String, Map<String, Object>> env = env(gateway);
        check(
                problems,
                "metadata.name"
                        .equals(
                                str(
                                        env.get("GATEHOUSE_NODE_ID"),
                                        "valueFrom",
                                        "fieldRef",
                                        "fieldPath")),
                "the gateway's node id is its pod name (so /tyk/cluster lists every pod)");
        String snapshot = str(env.get("GATEHOUSE_SNAPSHOT_PATH"), "value");
        Map<String, Object> pod =
                map(m.deploymentOfImage("gateway-service"), "spec", "template", "spec");
        boolean onEmptyDir =
                snapshot != null
                        && list(gateway, "volumeMounts").stream()
                                .anyMatch(
                                        v ->
                                                snapshot.startsWith(str(v, "mountPath") + "/")
                                                        && list(pod, "volumes").stream()
                                                                .anyMatch(
                                                                        vol ->
                                                                                str(vol, "name")
                                                                                                .equals(
                                                                                                        str(
                                                                                                                v,
                                                                                                                "name"))
                                                                                        && vol
                                                                                                .containsKey(
                                                                                                        "emptyDir")));
        check(
                problems,
                onEmptyDir,
                "the gateway's snapshot (" + snapshot + ") must be on an emptyDir");
        assertEquals(List.of(), problems);
    }

    static void check(List<String> problems, boolean ok, String requirement) {
        if (!ok) {
            problems.add(requirement);
        }
    }
}
