package gatehouse.deploy.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rendered object against its real schema (validation/validate.mjs): an allow-list of the API
 * versions the target cluster serves; the Kubernetes OpenAPI (kubernetes-models) for the core
 * kinds; the CloudNativePG API (@kubernetes-models/cloudnative-pg) for Clusters; the Strimzi CRDs
 * generated from io.strimzi:api, strictly (unknown properties refused), for Kafka, KafkaNodePool
 * and KafkaTopic.
 */
class SchemaValidationTest {

    static List<String> overlays() {
        return Toolchain.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyObjectIsValidAgainstItsSchema(String overlay) throws Exception {
        java.nio.file.Path rendered = Toolchain.renderedFile(overlay);
        java.nio.file.Path node = Toolchain.node();
        java.util.Optional<java.nio.file.Path> crds = Toolchain.strimziCrds();
        Toolchain.Result result =
                Toolchain.run(
                        List.of(
                                node.toString(),
                                Toolchain.NPM_DIR.resolve("validate.mjs").toString(),
                                rendered.toString(),
                                crds.map(Object::toString).orElse("-")),
                        Toolchain.NPM_DIR);
        assertEquals(0, result.exit(), "validate.mjs failed:\n" + result.err());
        Map<?, ?> report = Manifests.YAML.readValue(result.out(), Map.class);
        assertEquals(
                Manifests.of(overlay).objects.size(),
                ((Number) report.get("documents")).intValue(),
                "validate.mjs did not see every object");
        assertEquals(
                List.of(),
                report.get("errors"),
                overlay + ": objects that the cluster would refuse");
        assertTrue(((Number) report.get("documents")).intValue() > 0);
        Assumptions.assumeTrue(
                ((List<?>) report.get("unvalidated")).isEmpty(),
                "SKIPPED in part: no Java 21+ for Strimzi's CRD generator, so "
                        + report.get("unvalidated")
                        + " were NOT validated against their CRDs (everything else was)");
    }
}
