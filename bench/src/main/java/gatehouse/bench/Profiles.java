package gatehouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * {@code --profile}: a JFR recording (settings {@code profile}) of each JVM target over the
 * measured rounds, started and stopped with {@code jcmd}, and a summary of where its CPU samples
 * fall: the methods on top of the stack (self) and those anywhere on it (total).
 */
final class Profiles {

    private final Path dir;
    private final Map<String, Long> recording = new HashMap<>();

    Profiles(Path dir) {
        this.dir = dir;
    }

    void start(String label, long pid) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(label + ".jfr");
        Files.deleteIfExists(file);
        jcmd(
                pid,
                "JFR.start",
                "name=bench",
                "settings=profile",
                "filename=" + file.toAbsolutePath());
        recording.put(label, pid);
    }

    /** Stops every recording and writes {@code <label>.txt} beside each {@code .jfr}. */
    void stopAndSummarize() throws IOException {
        for (var entry : recording.entrySet()) {
            jcmd(entry.getValue(), "JFR.stop", "name=bench");
            Path file = dir.resolve(entry.getKey() + ".jfr");
            Files.writeString(dir.resolve(entry.getKey() + ".txt"), summary(file, 40));
        }
        recording.clear();
    }

    /** Where the CPU samples of a recording fall, the {@code top} methods by self and by total. */
    static String summary(Path file, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")
                    || event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String name = name(frame);
                if (seen.add(name)) {
                    total.merge(name, 1, Integer::sum);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(file.getFileName()).append(": ").append(samples).append(" CPU samples\n\n");
        append(out, "self (top of stack)", self, samples, top);
        append(out, "total (anywhere on the stack)", total, samples, top);
        return out.toString();
    }

    private static void append(
            StringBuilder out, String title, Map<String, Integer> counts, int samples, int top) {
        out.append(title).append('\n');
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        for (var entry : sorted.subList(0, Math.min(top, sorted.size()))) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "  %5.1f%%  %s%n",
                            100.0 * entry.getValue() / Math.max(1, samples),
                            entry.getKey()));
        }
        out.append('\n');
    }

    private static String name(RecordedFrame frame) {
        var method = frame.getMethod();
        return method.getType().getName() + "." + method.getName();
    }

    private static void jcmd(long pid, String... command) throws IOException {
        List<String> line = new ArrayList<>();
        line.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        line.add(Long.toString(pid));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes());
        try {
            if (jcmd.waitFor() != 0) {
                throw new IOException("jcmd " + String.join(" ", command) + ": " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
