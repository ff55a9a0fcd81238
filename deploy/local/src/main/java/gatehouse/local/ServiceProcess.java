package gatehouse.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One Gatehouse service (a packaged Quarkus app) running as a child process, with its output in a
 * log file. Used by {@code ./gatehouse up} and by the end-to-end tests, so both start services the
 * same way. It keeps its command line and environment, so a {@link Supervisor} can {@link
 * #restart()} it on the same port with the same configuration; {@link #close()} stops it for good.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path logFile;

    /**
     * Guards {@link #process} replacement against {@link #close()}: nothing starts once it is
     * closed.
     */
    private final Object lifecycle = new Object();

    private volatile Process process;
    private volatile long startedAtNanos;
    private volatile boolean closed;
    private volatile boolean stopSignalled;

    private ServiceProcess(
            String name, List<String> command, Map<String, String> environment, Path logFile) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.logFile = logFile;
    }

    /**
     * Starts {@code java -jar <jar>} with the given system properties and environment.
     *
     * @param name for messages
     * @param jar the app's {@code quarkus-run.jar}
     * @param maxHeap e.g. {@code 256m}
     * @param properties passed as {@code -Dname=value}
     * @param environment added to the inherited environment (secrets go here, not on the command
     *     line)
     * @param logFile stdout and stderr are appended here
     */
    public static ServiceProcess start(
            String name,
            Path jar,
            String maxHeap,
            Map<String, String> properties,
            Map<String, String> environment,
            Path logFile) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    name
                            + " is not built ("
                            + jar
                            + " is missing): run ./mvnw package -DskipTests");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        command.add("-XX:+UseSerialGC");
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        try {
            Files.createDirectories(logFile.getParent());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
        }
        ServiceProcess service = new ServiceProcess(name, command, environment, logFile);
        service.process = service.spawn();
        return service;
    }

    private Process spawn() {
        try {
            var builder =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            Process started = builder.start();
            startedAtNanos = System.nanoTime();
            return started;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts the service again with the same command line (so the same port and configuration) and
     * environment, appending to the same log, if it has exited and has not been {@linkplain
     * #close() closed}.
     *
     * @return true if a new process was started, false if it was closed meanwhile
     * @throws IllegalStateException if it is still running, or the process cannot be started
     */
    public boolean restart() {
        synchronized (lifecycle) {
            if (closed) {
                return false;
            }
            if (process.isAlive()) {
                throw new IllegalStateException(
                        name + " is still running (pid " + process.pid() + ")");
            }
            try {
                // a visible boundary, so whoever reads the log knows which lines belong to which
                // run
                Files.writeString(
                        logFile,
                        System.lineSeparator()
                                + "---- gatehouse: "
                                + Instant.now()
                                + " restarting "
                                + name
                                + " after exit code "
                                + process.exitValue()
                                + " ----"
                                + System.lineSeparator(),
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                // the marker is a courtesy; the restart matters more
            }
            process = spawn();
            return true;
        }
    }

    /**
     * Completes with the exit code when the current run of the process ends (a restart is a new
     * run).
     */
    public CompletableFuture<Integer> currentRunExit() {
        Process current = process;
        return current.onExit().thenApply(Process::exitValue);
    }

    /**
     * How long the current run has been (or was, if it has exited) started; measured from its
     * start.
     */
    public Duration currentRunAge() {
        return Duration.ofNanos(System.nanoTime() - startedAtNanos);
    }

    /** True once {@link #close()} was called: it is stopped for good and never restarted. */
    public boolean isClosed() {
        return closed;
    }

    public Path logFile() {
        return logFile;
    }

    /** Waits until GET url answers 200; fails early, with the log's tail, if the process exits. */
    public void awaitHttpOk(URI url, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int lastStatus = -1;
        Process process = this.process;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name
                                + " exited with code "
                                + process.exitValue()
                                + " while starting; "
                                + "last lines of "
                                + logFile
                                + ":\n"
                                + logTail(15));
            }
            try {
                lastStatus =
                        HTTP.send(
                                        HttpRequest.newBuilder(url)
                                                .timeout(Duration.ofSeconds(2))
                                                .GET()
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode();
                if (lastStatus == 200) {
                    return;
                }
            } catch (IOException e) {
                lastStatus = -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            try {
                process.waitFor(
                        200, TimeUnit.MILLISECONDS); // poll interval; returns at once if it exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
        throw new IllegalStateException(
                name
                        + " did not answer 200 on "
                        + url
                        + " within "
                        + timeout
                        + " (last status "
                        + lastStatus
                        + "); last lines of "
                        + logFile
                        + ":\n"
                        + logTail(15));
    }

    public String name() {
        return name;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Exit code of the current run, or -1 while running. */
    public int exitCode() {
        Process current = process;
        return current.isAlive() ? -1 : current.exitValue();
    }

    /** The last lines of the service's log. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Freezes the process (SIGSTOP), as a node that stalls or is paused would be. */
    public void suspend() {
        signal("STOP");
    }

    /** Lets a suspended process run again (SIGCONT). */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        if (!trySignal(name)) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    private boolean trySignal(String name) {
        try {
            return new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start()
                            .waitFor()
                    == 0;
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + name, e);
        }
    }

    /**
     * Stops it for good (never restarted afterwards) without waiting: SIGTERM now. Lets a caller
     * stop several services at once and then {@link #close()} each, so their shutdowns overlap.
     */
    public void requestStop() {
        Process process = markClosed();
        if (process.isAlive() && !stopSignalled) {
            stopSignalled = true; // once is enough: a JVM already shutting down ignores more
            trySignal(
                    "CONT"); // a suspended process would not act on SIGTERM; it may also have just
            // exited
            process.destroy();
        }
    }

    /** Marks it closed and returns its last run: restart() starts none after this. */
    private Process markClosed() {
        synchronized (lifecycle) {
            closed = true;
            return process;
        }
    }

    /**
     * Stops it for good (never restarted afterwards): SIGTERM, then SIGKILL if it has not stopped
     * within 20 s.
     */
    @Override
    public void close() {
        requestStop();
        Process process = markClosed();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
