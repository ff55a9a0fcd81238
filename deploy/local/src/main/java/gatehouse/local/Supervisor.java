package gatehouse.local;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts the services it watches when they die, so one crashed process does not take the others
 * (least of all the gateway, the data plane) down with it. A dead service is restarted with the
 * same command line, so on the same port and with the same configuration, after a back-off that
 * doubles while it keeps dying and starts over once a run has stayed up long enough. A service
 * {@linkplain ServiceProcess#close() closed} on purpose is never restarted, and a closed supervisor
 * restarts nothing.
 */
public final class Supervisor implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(Supervisor.class);

    /**
     * When to restart.
     *
     * @param firstDelay the wait before the first restart after a run that stayed up
     * @param maxDelay the longest wait, however often it died
     * @param stableRun a run that lasted this long counts as healthy: the next death waits {@code
     *     firstDelay} again
     */
    public record Backoff(Duration firstDelay, Duration maxDelay, Duration stableRun) {

        /**
         * What {@code ./gatehouse up} uses: 1 s doubling up to 30 s, back to 1 s after a minute up.
         */
        public static final Backoff DEFAULT =
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(60));

        public Backoff {
            if (firstDelay.isNegative()
                    || firstDelay.isZero()
                    || maxDelay.compareTo(firstDelay) < 0) {
                throw new IllegalArgumentException(
                        "need 0 < firstDelay <= maxDelay, not " + firstDelay + " and " + maxDelay);
            }
        }

        /**
         * The wait before restarting after {@code quickDeaths} deaths in a row that each came
         * before {@link #stableRun}.
         */
        Duration delayAfter(int quickDeaths) {
            Duration delay = firstDelay;
            for (int i = 1; i < quickDeaths && delay.compareTo(maxDelay) < 0; i++) {
                delay = delay.multipliedBy(2);
            }
            return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
        }
    }

    /**
     * One restart, kept for diagnosis (and for tests to see the back-off).
     *
     * @param service the service's name
     * @param exitCode how its previous run ended
     * @param delay how long the supervisor waited before starting it again
     * @param at when the new run started
     */
    public record Restart(String service, int exitCode, Duration delay, Instant at) {}

    /**
     * Deaths in a row of one service, each before {@link Backoff#stableRun}; touched on the
     * scheduler thread only.
     */
    private static final class Streak {
        int quickDeaths;
    }

    private final Backoff backoff;
    // one thread is plenty: it only decides and spawns, never waits for a service
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(
                    runnable -> {
                        Thread thread = new Thread(runnable, "gatehouse-supervisor");
                        thread.setDaemon(true); // never what keeps a JVM alive
                        return thread;
                    });
    private final Map<ServiceProcess, Streak> watched = new ConcurrentHashMap<>();
    private final List<Restart> restarts = new CopyOnWriteArrayList<>();

    /** Guards {@link #closed} against a restart being decided at the same moment. */
    private final Object lifecycle = new Object();

    private boolean closed;

    public Supervisor(Backoff backoff) {
        this.backoff = backoff;
    }

    /**
     * Watches the service from now on: when its current run ends, it is started again.
     *
     * @return false if the supervisor is already closed (the suite is stopping), so nothing is
     *     watched
     */
    public boolean supervise(ServiceProcess service) {
        synchronized (lifecycle) {
            if (closed) {
                return false;
            }
            if (watched.putIfAbsent(service, new Streak()) != null) {
                return true; // already watched: a second watch would restart it twice
            }
        }
        watchCurrentRun(service);
        return true;
    }

    private void watchCurrentRun(ServiceProcess service) {
        service.currentRunExit()
                .thenAcceptAsync(
                        exitCode -> died(service, exitCode, service.currentRunAge()), scheduler)
                .exceptionally(
                        e -> null); // rejected only once the supervisor is closed: nothing left
        // to do
    }

    private void died(ServiceProcess service, int exitCode, Duration ranFor) {
        if (isClosed() || service.isClosed()) {
            return; // stopped on purpose: its exit is expected
        }
        Streak streak = watched.get(service);
        streak.quickDeaths =
                ranFor.compareTo(backoff.stableRun()) >= 0 ? 1 : streak.quickDeaths + 1;
        Duration delay = backoff.delayAfter(streak.quickDeaths);
        LOGGER.warn(
                "{} died with exit code {} after {} s up; restarting it in {} s (log: {}); its last lines:\n{}",
                service.name(),
                exitCode,
                seconds(ranFor),
                seconds(delay),
                service.logFile(),
                service.logTail(5));
        schedule(() -> restart(service, exitCode, delay), delay);
    }

    private void restart(ServiceProcess service, int exitCode, Duration delay) {
        boolean started;
        try {
            synchronized (lifecycle) {
                if (closed) {
                    return;
                }
                started = service.restart();
            }
        } catch (RuntimeException e) {
            // e.g. the jar was deleted by a rebuild: count it as one more quick death and try again
            // later
            Streak streak = watched.get(service);
            streak.quickDeaths++;
            Duration next = backoff.delayAfter(streak.quickDeaths);
            LOGGER.error(
                    "{} could not be restarted ({}); trying again in {} s (log: {})",
                    service.name(),
                    e.getMessage(),
                    seconds(next),
                    service.logFile());
            schedule(() -> restart(service, exitCode, next), next);
            return;
        }
        if (!started) {
            return; // closed on purpose while we waited
        }
        restarts.add(new Restart(service.name(), exitCode, delay, Instant.now()));
        LOGGER.warn(
                "{} restarted (pid {}) after exit code {}, with the same port and configuration (log: {})",
                service.name(),
                service.pid(),
                exitCode,
                service.logFile());
        watchCurrentRun(service);
    }

    private static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile: no restarts any more
        }
    }

    /** Every restart so far, oldest first. */
    public List<Restart> restarts() {
        return List.copyOf(restarts);
    }

    public boolean isClosed() {
        synchronized (lifecycle) {
            return closed;
        }
    }

    /**
     * Stops supervising: nothing is restarted from now on, including a restart already waiting out
     * its back-off. The services keep running; stopping them is their owner's job ({@link
     * Suite#close()}).
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            closed = true;
        }
        scheduler.shutdownNow();
    }
}
