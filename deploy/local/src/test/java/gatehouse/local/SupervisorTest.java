package gatehouse.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor against real child processes ({@link SupervisedChild}) started as services are.
 */
class SupervisorTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    @TempDir Path dir;

    private Path jar;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final List<Supervisor> supervisors = new ArrayList<>();

    @BeforeEach
    void packTheChild() throws IOException {
        jar = dir.resolve("child.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes()
                .put(Attributes.Name.MAIN_CLASS, SupervisedChild.class.getName());
        String entry = SupervisedChild.class.getName().replace('.', '/') + ".class";
        try (var out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                InputStream classFile =
                        SupervisedChild.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            classFile.transferTo(out);
            out.closeEntry();
        }
    }

    @AfterEach
    void stopEverything() {
        supervisors.forEach(Supervisor::close);
        services.forEach(ServiceProcess::close);
    }

    @Test
    void aKilledServiceIsRestartedOnTheSameConfigurationAndLog() {
        ServiceProcess service = child("runs", Map.of("child.port", "4711"));
        Supervisor supervisor =
                supervisor(
                        new Supervisor.Backoff(
                                Duration.ofMillis(100),
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(60)));
        supervisor.supervise(service);
        await("the first run announced", () -> startsLogged(service) == 1);
        long firstPid = service.pid();

        kill9(firstPid);

        await("a second run", () -> startsLogged(service) == 2 && service.isAlive());
        assertNotEquals(firstPid, service.pid());
        assertEquals(
                List.of("port=4711", "port=4711"),
                loggedPorts(service),
                "the restart keeps the configuration");
        List<Supervisor.Restart> restarts = supervisor.restarts();
        assertEquals(1, restarts.size());
        assertEquals(137, restarts.get(0).exitCode(), "SIGKILL's exit code, as reported");
        assertEquals(Duration.ofMillis(100), restarts.get(0).delay());
    }

    @Test
    void theBackOffDoublesUpToItsMaximumWhileTheServiceKeepsDying() {
        ServiceProcess service =
                child("crashes", Map.of("child.exit-after-ms", "1", "child.exit-code", "3"));
        Supervisor supervisor =
                supervisor(
                        new Supervisor.Backoff(
                                Duration.ofMillis(100),
                                Duration.ofMillis(400),
                                Duration.ofSeconds(60)));
        supervisor.supervise(service);

        await("four restarts", () -> supervisor.restarts().size() >= 4);
        supervisor.close(); // stops the crash loop before we read it

        List<Supervisor.Restart> restarts = supervisor.restarts().subList(0, 4);
        assertEquals(
                List.of(
                        Duration.ofMillis(100),
                        Duration.ofMillis(200),
                        Duration.ofMillis(400),
                        Duration.ofMillis(400)),
                restarts.stream().map(Supervisor.Restart::delay).toList());
        restarts.forEach(restart -> assertEquals(3, restart.exitCode()));
        for (int i = 1; i < restarts.size(); i++) {
            // the wait is real: a run lasts a moment, then the supervisor waits out the delay
            // before the next
            Duration gap = Duration.between(restarts.get(i - 1).at(), restarts.get(i).at());
            assertTrue(
                    gap.compareTo(restarts.get(i).delay()) >= 0,
                    "restart " + i + " came " + gap + " after the one before");
        }
    }

    @Test
    void theBackOffStartsOverAfterARunThatStayedUpLongEnough() {
        // each run outlives stableRun, so each death is a first one: without the reset the delays
        // would double
        ServiceProcess service = child("dies-late", Map.of("child.exit-after-ms", "600"));
        Supervisor supervisor =
                supervisor(
                        new Supervisor.Backoff(
                                Duration.ofMillis(100),
                                Duration.ofSeconds(5),
                                Duration.ofMillis(300)));
        supervisor.supervise(service);

        await("three restarts", () -> supervisor.restarts().size() >= 3);

        supervisor
                .restarts()
                .subList(0, 3)
                .forEach(restart -> assertEquals(Duration.ofMillis(100), restart.delay()));
    }

    @Test
    void aClosedSupervisorRestartsNothing() {
        ServiceProcess service = child("runs", Map.of());
        Supervisor supervisor =
                supervisor(
                        new Supervisor.Backoff(
                                Duration.ofMillis(100),
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(60)));
        supervisor.supervise(service);
        await("the first run announced", () -> startsLogged(service) == 1);

        supervisor.close();
        kill9(service.pid());
        await("the child dead", () -> !service.isAlive());

        // ten times the back-off: a restart would have come by now
        assertHoldsFor(Duration.ofSeconds(1), "it stays dead", () -> !service.isAlive());
        assertEquals(1, startsLogged(service));
        assertTrue(supervisor.restarts().isEmpty());
    }

    @Test
    void closingTheSupervisorCancelsARestartThatWaitsOutItsBackOff() {
        // as on Ctrl-C, where the services see the signal too and may die just before the launcher
        // stops
        ServiceProcess service = child("runs", Map.of());
        Supervisor supervisor =
                supervisor(
                        new Supervisor.Backoff(
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(60)));
        supervisor.supervise(service);
        await("the first run announced", () -> startsLogged(service) == 1);

        kill9(service.pid());
        await("the child dead", () -> !service.isAlive());
        supervisor.close();

        assertHoldsFor(Duration.ofSeconds(2), "it stays dead", () -> !service.isAlive());
        assertEquals(1, startsLogged(service));
        assertTrue(supervisor.restarts().isEmpty());
    }

    @Test
    void aServiceClosedOnPurposeIsNotRestarted() {
        // what an end-to-end test does when it stops a service to see the others cope
        ServiceProcess service = child("runs", Map.of());
        Supervisor supervisor =
                supervisor(
                        new Supervisor.Backoff(
                                Duration.ofMillis(100),
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(60)));
        supervisor.supervise(service);
        await("the first run announced", () -> startsLogged(service) == 1);

        service.close();

        assertFalse(service.isAlive());
        assertHoldsFor(Duration.ofSeconds(1), "it stays stopped", () -> !service.isAlive());
        assertFalse(service.restart(), "a closed service refuses to start again");
        assertEquals(1, startsLogged(service));
        assertTrue(supervisor.restarts().isEmpty());
    }

    private ServiceProcess child(String name, Map<String, String> properties) {
        ServiceProcess service =
                ServiceProcess.start(
                        name,
                        jar,
                        "32m",
                        new HashMap<>(properties),
                        Map.of(),
                        dir.resolve(name + ".log"));
        services.add(service);
        return service;
    }

    private Supervisor supervisor(Supervisor.Backoff backoff) {
        Supervisor supervisor = new Supervisor(backoff);
        supervisors.add(supervisor);
        return supervisor;
    }

    private static void kill9(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    private static List<String> startLines(ServiceProcess service) {
        try {
            return Files.readAllLines(service.logFile(), StandardCharsets.UTF_8).stream()
                    .filter(line -> line.startsWith("started "))
                    .toList();
        } catch (IOException e) {
            return List.of(); // not written yet
        }
    }

    private static int startsLogged(ServiceProcess service) {
        return startLines(service).size();
    }

    private static List<String> loggedPorts(ServiceProcess service) {
        return startLines(service).stream()
                .map(line -> line.substring(line.indexOf("port=")))
                .toList();
    }

    /** Polls until the condition holds, failing at the deadline. */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WITHIN + ": " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // poll interval
        }
    }

    /** Polls for the whole window, failing as soon as the condition stops holding. */
    private static void assertHoldsFor(Duration window, String what, BooleanSupplier condition) {
        long end = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < end) {
            assertTrue(condition.getAsBoolean(), what);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // poll interval
        }
    }
}
