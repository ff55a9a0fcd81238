package gatehouse.deploy.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every overlay renders with the real kustomize; overlays differ by namespace, never by name. */
class RenderTest {

    /** Kinds without a namespace. */
    private static final Set<String> CLUSTER_SCOPED =
            Set.of(
                    "Namespace",
                    "ClusterRole",
                    "ClusterRoleBinding",
                    "CustomResourceDefinition",
                    "IngressClass",
                    "PriorityClass",
                    "StorageClass");

    static List<String> overlays() {
        return Toolchain.overlays();
    }

    @Test
    void theOverlaysAreDevAndProd() {
        assertTrue(overlays().containsAll(List.of("dev", "prod")), "overlays: " + overlays());
        System.out.println("[k8s] rendered with " + Toolchain.kubectlVersion());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void rendersAndPutsEveryObjectInTheOverlaysNamespace(String overlay) {
        Manifests manifests = Manifests.of(overlay);
        assertFalse(manifests.objects.isEmpty(), overlay + " rendered no object");
        String kustomization =
                Toolchain.read(
                        Toolchain.MODULE
                                .resolve("overlays")
                                .resolve(overlay)
                                .resolve("kustomization.yaml"));
        String namespace =
                Manifests.str(Manifests.parse(overlay, kustomization).objects.get(0), "namespace");
        assertTrue(namespace != null && !namespace.isBlank(), overlay + " must set a namespace");
        List<String> wrong = new ArrayList<>();
        for (Map<String, Object> object : manifests.objects) {
            if (!CLUSTER_SCOPED.contains(object.get("kind"))
                    && !namespace.equals(Manifests.str(object, "metadata", "namespace"))) {
                wrong.add(Manifests.id(object));
            }
        }
        assertEquals(List.of(), wrong, overlay + ": objects outside namespace " + namespace);
        assertFalse(
                kustomization.contains("namePrefix") || kustomization.contains("nameSuffix"),
                overlay
                        + ": overlays differ by namespace, never by a name prefix or suffix (it breaks the "
                        + "strimzi.io/cluster labels and CloudNativePG's <cluster>-app secret names)");
    }

    @Test
    void everyOverlayHasTheSameObjectsUnderTheSameNamesInItsOwnNamespace() {
        Set<String> namespaces = new TreeSet<>();
        Set<String> first = null;
        for (String overlay : overlays()) {
            Manifests manifests = Manifests.of(overlay);
            Set<String> ids = new TreeSet<>();
            manifests.objects.forEach(o -> ids.add(Manifests.id(o)));
            namespaces.add(Manifests.str(manifests.objects.get(0), "metadata", "namespace"));
            if (first == null) {
                first = ids;
            } else {
                assertEquals(
                        first,
                        ids,
                        overlay + " names its objects differently from " + overlays().get(0));
            }
        }
        assertEquals(
                overlays().size(),
                namespaces.size(),
                "each overlay needs a namespace of its own: " + namespaces);
    }

    @Test
    void theReadmeNamesTheOperatorVersionsTheManifestsAreValidatedAgainst() {
        String readme = Toolchain.read(Toolchain.ROOT.resolve("README.md"));
        String strimzi = System.getProperty("gatehouse.strimzi.version", "");
        assertTrue(
                !strimzi.isBlank() && readme.contains("Strimzi](https://strimzi.io) " + strimzi),
                "README must name the Strimzi version validated against: " + strimzi);
        assertTrue(
                readme.contains("CloudNativePG](https://cloudnative-pg.io) 1.27"),
                "README must name the CloudNativePG version validated against (1.27+)");
    }
}
