package gatehouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where processes run: with {@code taskset} and two cores or more, the proxy under test on core 0
 * and everything else (upstream, load generator, broker, owners, this JVM) on core 1, as the
 * issue's figures were taken; without, nothing is pinned and the report says so.
 */
record Pinning(boolean enabled, String tasksetPath) {

    static final String PROXY_CORE = "0";
    static final String REST_CORE = "1";

    static Pinning detect() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path taskset = Path.of(dir, "taskset");
            if (Files.isExecutable(taskset) && Runtime.getRuntime().availableProcessors() >= 2) {
                return new Pinning(true, taskset.toString());
            }
        }
        return new Pinning(false, null);
    }

    /** The command prefix that starts a process on the proxy's core. */
    List<String> proxyPrefix() {
        return enabled ? List.of(tasksetPath, "-c", PROXY_CORE) : List.of();
    }

    /** The command prefix that starts a process on the other core. */
    List<String> restPrefix() {
        return enabled ? List.of(tasksetPath, "-c", REST_CORE) : List.of();
    }

    void pinProxy(long pid) {
        pin(pid, PROXY_CORE);
    }

    void pinRest(long pid) {
        pin(pid, REST_CORE);
    }

    /** Moves a running process, all its threads, to a core; its later threads inherit it. */
    private void pin(long pid, String core) {
        if (!enabled) {
            return;
        }
        try {
            Process taskset =
                    new ProcessBuilder(tasksetPath, "-a", "-p", "-c", core, Long.toString(pid))
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            if (taskset.waitFor() != 0) {
                throw new IllegalStateException("taskset could not pin process " + pid);
            }
        } catch (IOException e) {
            throw new IllegalStateException("taskset failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    String describe() {
        return enabled
                ? "proxy under test on core "
                        + PROXY_CORE
                        + "; upstream, load, broker and owners on core "
                        + REST_CORE
                        + " (taskset)"
                : "not pinned (taskset missing or fewer than 2 cores)";
    }
}
