package gatehouse.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Assumptions;

/**
 * A real browser for tests of pages: Debian's {@code chromium} run headless with {@code
 * --dump-dom}, which prints the DOM once the page's scripts have run (within a virtual time
 * budget). Each run has a fresh profile directory, deleted afterwards, and a process timeout. Where
 * no chromium is installed, {@link #require} skips the test and says what to install.
 */
public final class HeadlessChromium {

    private static final Logger LOGGER = Logger.getLogger(HeadlessChromium.class);

    /** Where Debian and Ubuntu put it; {@code GATEHOUSE_CHROMIUM} or -Dgatehouse.chromium first. */
    private static final List<String> CANDIDATES =
            List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium");

    /** How long the page's timers and fetches may run in virtual time before the DOM is dumped. */
    public static final Duration VIRTUAL_TIME_BUDGET = Duration.ofSeconds(15);

    /** How long the whole process may take (start, load, scripts, dump). */
    public static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(60);

    private final Path executable;

    private HeadlessChromium(Path executable) {
        this.executable = executable;
    }

    /** The installed chromium, if any. */
    public static Optional<HeadlessChromium> find() {
        List<String> candidates = new ArrayList<>();
        String chosen =
                System.getProperty("gatehouse.chromium", System.getenv("GATEHOUSE_CHROMIUM"));
        if (chosen != null && !chosen.isBlank()) {
            candidates.add(chosen.trim());
        }
        candidates.addAll(CANDIDATES);
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isBlank()) {
                    candidates.add(Path.of(dir, "chromium").toString());
                }
            }
        }
        return candidates.stream()
                .map(Path::of)
                .filter(Files::isRegularFile)
                .filter(Files::isExecutable)
                .findFirst()
                .map(HeadlessChromium::new);
    }

    /**
     * The installed chromium, or the calling test is skipped (JUnit assumption) with a message
     * naming what it needs.
     *
     * @param what the test, as the message should name it ("the analytics page test")
     */
    public static HeadlessChromium require(String what) {
        Optional<HeadlessChromium> found = find();
        Assumptions.assumeTrue(
                found.isPresent(),
                "chromium not found (looked at -Dgatehouse.chromium, GATEHOUSE_CHROMIUM, "
                        + String.join(", ", CANDIDATES)
                        + " and the PATH): install Debian's chromium (apt-get install chromium) to run "
                        + what);
        return found.orElseThrow();
    }

    /** The executable this runs. */
    public Path executable() {
        return executable;
    }

    /** {@link #dumpDom(URI, Duration, Duration)} with the default budget and timeout. */
    public String dumpDom(URI url) {
        return dumpDom(url, VIRTUAL_TIME_BUDGET, PROCESS_TIMEOUT);
    }

    /**
     * Loads {@code url} and returns the serialised DOM after the page's scripts ran for up to
     * {@code virtualTimeBudget} of virtual time.
     *
     * @throws AssertionError when chromium fails or does not finish within {@code timeout}
     */
    public String dumpDom(URI url, Duration virtualTimeBudget, Duration timeout) {
        Path work;
        try {
            work = Files.createTempDirectory("gatehouse-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path profile = work.resolve("profile");
        Path out = work.resolve("dom.html");
        Path err = work.resolve("stderr.txt");
        // the fragment may carry a credential (#key=...): never logged
        String shown = withoutFragment(url);
        List<String> command =
                List.of(
                        executable.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--user-data-dir=" + profile,
                        "--virtual-time-budget=" + virtualTimeBudget.toMillis(),
                        "--dump-dom",
                        url.toString());
        long start = System.nanoTime();
        Process process = null;
        try {
            Files.createDirectories(profile);
            process =
                    new ProcessBuilder(command)
                            .redirectOutput(out.toFile())
                            .redirectError(err.toFile())
                            .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                            .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(
                        "chromium did not finish "
                                + shown
                                + " within "
                                + timeout
                                + "; its stderr ends:\n"
                                + tail(err));
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(
                        "chromium exited with "
                                + process.exitValue()
                                + " on "
                                + shown
                                + "; its stderr ends:\n"
                                + tail(err));
            }
            String dom = Files.readString(out, StandardCharsets.UTF_8);
            LOGGER.infof(
                    "chromium dumped %s: %d characters in %d ms",
                    shown, dom.length(), (System.nanoTime() - start) / 1_000_000);
            return dom;
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + executable, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while chromium loaded " + shown, e);
        } finally {
            if (process != null) {
                // its renderer and GPU helpers too, on a timeout or failure
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                try {
                    process.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            delete(work);
        }
    }

    private static String withoutFragment(URI url) {
        String s = url.toString();
        int hash = s.indexOf('#');
        return hash < 0 ? s : s.substring(0, hash) + "#…";
    }

    private static java.io.File nullDevice() {
        return new java.io.File(
                System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static String tail(Path file) {
        try {
            String all = Files.readString(file, StandardCharsets.UTF_8);
            return all.length() > 4000 ? all.substring(all.length() - 4000) : all;
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.deleteIfExists(p);
                                } catch (IOException e) {
                                    // chromium may still be removing its own files; left in /tmp
                                }
                            });
        } catch (IOException e) {
            LOGGER.debugf("could not delete %s: %s", dir, e.getMessage());
        }
    }
}
