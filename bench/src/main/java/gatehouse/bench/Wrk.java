package gatehouse.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** wrk, one thread, pinned to the load core when {@code taskset} is there. */
final class Wrk implements LoadGenerator {

    private static final Pattern REQUESTS =
            Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m),");
    private static final Pattern PERCENTILE =
            Pattern.compile(
                    "^\\s*(50|99)(?:\\.000)?%\\s+([\\d.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile(
                    "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private final String executable;
    private final List<String> pin;

    Wrk(String executable, List<String> pin) {
        this.executable = executable;
        this.pin = pin;
    }

    @Override
    public String describe() {
        return "wrk (1 thread)";
    }

    @Override
    public LoadResult run(
            URI url, Map<String, String> headers, int connections, Duration duration) {
        List<String> command = new ArrayList<>(pin);
        command.add(executable);
        command.add("-t1");
        command.add("-c" + connections);
        command.add("-d" + Math.max(1, duration.toMillis() / 1000) + "s");
        command.add("--latency");
        headers.forEach((name, value) -> command.addAll(List.of("-H", name + ": " + value)));
        command.add(url.toString());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException("wrk exited with " + exit + ": " + output);
            }
            LoadResult result = parse(output);
            if (result.failed() > 0) {
                System.err.println("bench: wrk saw failures against " + url + ":\n" + output);
            }
            return result;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run wrk: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Reads wrk's {@code --latency} report. */
    static LoadResult parse(String output) {
        Matcher requests = REQUESTS.matcher(output);
        if (!requests.find()) {
            throw new IllegalArgumentException("not a wrk report: " + output);
        }
        long count = Long.parseLong(requests.group(1));
        double seconds = micros(requests.group(2), requests.group(3)) / 1e6;
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Matcher percentile = PERCENTILE.matcher(output);
        while (percentile.find()) {
            double value = micros(percentile.group(2), percentile.group(3));
            if (percentile.group(1).equals("50")) {
                p50 = value;
            } else {
                p99 = value;
            }
        }
        long failed = 0;
        Matcher non2xx = NON_2XX.matcher(output);
        if (non2xx.find()) {
            failed += Long.parseLong(non2xx.group(1));
        }
        Matcher errors = SOCKET_ERRORS.matcher(output);
        if (errors.find()) {
            for (int group = 1; group <= 4; group++) {
                failed += Long.parseLong(errors.group(group));
            }
        }
        return new LoadResult(count, seconds, p50, p99, failed);
    }

    private static double micros(String value, String unit) {
        double number = Double.parseDouble(value);
        return switch (unit) {
            case "us" -> number;
            case "ms" -> number * 1e3;
            case "s" -> number * 1e6;
            case "m" -> number * 60e6;
            default -> throw new IllegalArgumentException("unknown unit " + unit);
        };
    }
}
