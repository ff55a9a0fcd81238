package gatehouse.system;

import gatehouse.local.KafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A Kafka broker of one test's own, which it stops and starts again on the same ports and data (an
 * outage the services must ride out), unlike the test JVM's shared broker.
 */
final class StoppableBroker implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final Duration timeout;
    private final String bootstrapServers;
    private KafkaBroker broker;

    private StoppableBroker(Path dir, int port, int controllerPort, Duration timeout) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.timeout = timeout;
        this.broker = KafkaBroker.start(dir, port, controllerPort, timeout);
        this.bootstrapServers = broker.bootstrapServers();
    }

    /** Starts a broker on free ports with a fresh data directory named after {@code name}. */
    static StoppableBroker start(String name, Duration timeout) throws IOException {
        return new StoppableBroker(
                Files.createTempDirectory("gatehouse-" + name + "-kafka"),
                freePort(),
                freePort(),
                timeout);
    }

    /** The broker's address; the same across restarts. */
    String bootstrapServers() {
        return bootstrapServers;
    }

    /** Stops the broker (an outage); {@link #restart()} brings it back. */
    void stop() {
        broker.close();
        broker = null;
    }

    /** Starts it again on the same ports and data. */
    void restart() {
        broker = KafkaBroker.start(dir, port, controllerPort, timeout);
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
