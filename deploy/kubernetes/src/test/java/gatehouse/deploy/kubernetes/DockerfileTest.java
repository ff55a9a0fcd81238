package gatehouse.deploy.kubernetes;

import static gatehouse.deploy.kubernetes.WorkloadsTest.check;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each service's src/main/docker/Dockerfile.jvm copies what the Quarkus build produces (the
 * fast-jar layout of target/quarkus-app; the real directory too when the module is built), exposes
 * exactly the ports its Deployment declares, listens where the Deployment expects and runs as the
 * Deployment's non-root user.
 */
class DockerfileTest {

    /** What quarkus-maven-plugin's build goal writes for the default (fast-jar) packaging. */
    private static final Set<String> FAST_JAR =
            Set.of("lib/", "app/", "quarkus/", "quarkus-run.jar");

    static List<String> modules() {
        return List.copyOf(new TreeSet<>(Sources.SERVICES.keySet()));
    }

    record Instruction(String keyword, String arguments) {}

    static List<Instruction> parse(String dockerfile) {
        List<Instruction> instructions = new ArrayList<>();
        for (String line : dockerfile.replace("\\\n", " ").split("\n")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] parts = trimmed.split("\\s+", 2);
            instructions.add(
                    new Instruction(
                            parts[0].toUpperCase(java.util.Locale.ROOT),
                            parts.length > 1 ? parts[1] : ""));
        }
        return instructions;
    }

    @ParameterizedTest
    @MethodSource("modules")
    void theDockerfileCopiesWhatTheBuildProducesAndExposesTheManifestsPorts(String module)
            throws IOException {
        Path moduleDir = Toolchain.ROOT.resolve(module);
        Path dockerfile = moduleDir.resolve("src/main/docker/Dockerfile.jvm");
        List<String> problems = new ArrayList<>();
        check(problems, Files.exists(dockerfile), module + ": no src/main/docker/Dockerfile.jvm");
        if (!problems.isEmpty()) {
            assertEquals(List.of(), problems);
        }
        List<Instruction> instructions = parse(Files.readString(dockerfile));
        String packaging =
                Sources.properties(module).getProperty("quarkus.package.jar.type", "fast-jar");
        check(
                problems,
                packaging.equals("fast-jar"),
                module + ": the Dockerfile expects the fast-jar packaging, not " + packaging);
        check(
                problems,
                Toolchain.read(moduleDir.resolve("pom.xml")).contains("quarkus-maven-plugin"),
                module + ": the quarkus-maven-plugin builds target/quarkus-app");
        Set<String> copied = new TreeSet<>();
        Map<String, String> env = new LinkedHashMap<>();
        Set<Integer> exposed = new TreeSet<>();
        String user = null;
        Path built = moduleDir.resolve("target/quarkus-app");
        for (Instruction instruction : instructions) {
            switch (instruction.keyword()) {
                case "COPY", "ADD" -> {
                    List<String> args =
                            new ArrayList<>(List.of(instruction.arguments().split("\\s+")));
                    args.removeIf(a -> a.startsWith("--"));
                    for (String source : args.subList(0, args.size() - 1)) {
                        if (!source.startsWith("target/quarkus-app/")) {
                            problems.add(
                                    module
                                            + ": COPY "
                                            + source
                                            + " is not under target/quarkus-app/");
                            continue;
                        }
                        String entry = source.substring("target/quarkus-app/".length());
                        if (entry.equals("*.jar")) {
                            entry = "quarkus-run.jar";
                        }
                        if (!FAST_JAR.contains(entry)) {
                            problems.add(
                                    module
                                            + ": COPY "
                                            + source
                                            + " is not part of the fast-jar layout "
                                            + FAST_JAR);
                        }
                        if (Files.isDirectory(built) && !matchesSomething(built, entry)) {
                            problems.add(
                                    module
                                            + ": COPY "
                                            + source
                                            + " matches nothing in the built "
                                            + built);
                        }
                        copied.add(entry);
                    }
                }
                case "ENV" -> {
                    String[] kv = instruction.arguments().split("=", 2);
                    env.put(kv[0].trim(), kv.length > 1 ? kv[1].replace("\"", "").trim() : "");
                }
                case "EXPOSE" -> {
                    for (String port : instruction.arguments().split("\\s+")) {
                        exposed.add(Integer.parseInt(port.replaceAll("/tcp$", "")));
                    }
                }
                case "USER" -> user = instruction.arguments().trim();
                default -> {}
            }
        }
        check(
                problems,
                copied.containsAll(FAST_JAR),
                module + ": copies " + copied + ", the application needs all of " + FAST_JAR);
        check(
                problems,
                "/deployments/quarkus-run.jar".equals(env.get("JAVA_APP_JAR")),
                module + ": JAVA_APP_JAR runs the copied quarkus-run.jar");
        check(
                problems,
                user != null && user.matches("\\d+") && !user.equals("0"),
                module + ": USER must be a non-root uid, is " + user);
        for (String overlay : Toolchain.overlays()) {
            Manifests m = Manifests.of(overlay);
            Map<String, Object> deployment = m.deploymentOfImage(module);
            Map<String, Object> container = Manifests.container(deployment);
            Set<Integer> declared = new TreeSet<>(Manifests.ports(container).values());
            check(
                    problems,
                    declared.equals(exposed),
                    overlay
                            + "/"
                            + Manifests.id(deployment)
                            + " declares ports "
                            + declared
                            + ", the image exposes "
                            + exposed);
            String port = m.settings(container).get("QUARKUS_HTTP_PORT");
            check(
                    problems,
                    env.getOrDefault("QUARKUS_HTTP_PORT", "").equals(port),
                    module
                            + ": the image listens on "
                            + env.get("QUARKUS_HTTP_PORT")
                            + ", "
                            + overlay
                            + " expects "
                            + port);
            Object uid =
                    Manifests.at(
                            deployment, "spec", "template", "spec", "securityContext", "runAsUser");
            check(
                    problems,
                    String.valueOf(uid).equals(user),
                    overlay
                            + "/"
                            + Manifests.id(deployment)
                            + " runs as "
                            + uid
                            + ", the image's user is "
                            + user);
        }
        assertEquals(List.of(), problems);
    }

    private static boolean matchesSomething(Path dir, String entry) throws IOException {
        if (!entry.contains("*")) {
            return Files.exists(dir.resolve(entry));
        }
        try (DirectoryStream<Path> matches = Files.newDirectoryStream(dir, entry)) {
            return matches.iterator().hasNext();
        }
    }
}
