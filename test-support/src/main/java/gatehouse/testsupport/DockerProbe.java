package gatehouse.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.testcontainers.DockerClientFactory;

/**
 * Decides once whether tests may use Docker (Testcontainers). The answer is cached in a file for
 * the build, so no other test JVM asks Docker again; {@code TESTS_DOCKER=false|true} overrides it.
 * With no Docker socket and no {@code DOCKER_HOST}, Testcontainers is not even asked.
 */
final class DockerProbe {

    private static final Duration CACHE_FOR = Duration.ofHours(1);

    private DockerProbe() {}

    static boolean dockerAvailable() {
        String override = System.getenv("TESTS_DOCKER");
        if (override != null && !override.isBlank()) {
            return Boolean.parseBoolean(override.trim());
        }
        Path cache = Path.of(System.getProperty("gatehouse.root", "."), "target", "docker-probe");
        try {
            if (Files.exists(cache)
                    && Files.getLastModifiedTime(cache)
                            .toInstant()
                            .isAfter(Instant.now().minus(CACHE_FOR))) {
                return Boolean.parseBoolean(Files.readString(cache, StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            // unreadable cache: probe again
        }
        boolean available = probe();
        try {
            Files.createDirectories(cache.getParent());
            Files.writeString(cache, Boolean.toString(available), StandardCharsets.UTF_8);
        } catch (IOException e) {
            // the cache is an optimisation only
        }
        return available;
    }

    private static boolean probe() {
        boolean socket = Files.exists(Path.of("/var/run/docker.sock"));
        String dockerHost = System.getenv("DOCKER_HOST");
        if (!socket && (dockerHost == null || dockerHost.isBlank())) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
