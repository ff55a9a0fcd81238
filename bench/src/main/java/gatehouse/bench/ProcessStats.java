package gatehouse.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time and resident memory of a process and its descendants, from {@code /proc} (Linux); zero
 * where {@code /proc} is absent, and the report says so.
 */
final class ProcessStats {

    private static final long TICKS_PER_SECOND = ticksPerSecond();

    private ProcessStats() {}

    static boolean available() {
        return Files.isDirectory(Path.of("/proc/self"));
    }

    /** The process and everything it started (nginx's workers, say). */
    static List<Long> family(long pid) {
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        ProcessHandle.of(pid)
                .ifPresent(handle -> handle.descendants().forEach(child -> pids.add(child.pid())));
        return pids;
    }

    /** User plus system CPU time the processes have used so far, in microseconds. */
    static long cpuMicros(List<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
            if (stat == null) {
                continue;
            }
            // the command name (field 2) may hold spaces: count fields after its closing ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        return ticks * 1_000_000L / TICKS_PER_SECOND;
    }

    /** Resident memory of the processes, in KiB. */
    static long rssKib(List<Long> pids) {
        long kib = 0;
        for (long pid : pids) {
            String status = read(Path.of("/proc", Long.toString(pid), "status"));
            if (status == null) {
                continue;
            }
            for (String line : status.split("\n")) {
                if (line.startsWith("VmRSS:")) {
                    kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        }
        return kib;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return null;
        }
    }

    private static long ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
            String answer =
                    new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                            .trim();
            getconf.waitFor();
            return Long.parseLong(answer);
        } catch (IOException | NumberFormatException e) {
            return 100; // Linux's USER_HZ nearly everywhere
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
