package gatehouse.testsupport;

import gatehouse.contracts.events.TopicProvisioner;
import gatehouse.contracts.events.Topics;
import gatehouse.local.KafkaBroker;
import gatehouse.local.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real Kafka broker and PostgreSQL server of one test JVM, started on first use and stopped
 * when the JVM exits. Where a Docker engine runs they are Testcontainers; otherwise a Kafka broker
 * in this JVM and PostgreSQL as {@link PostgresServer} finds it (configured, local, or embedded).
 */
public final class TestInfrastructure {

    private static final Logger LOGGER = Logger.getLogger(TestInfrastructure.class);
    private static TestInfrastructure instance;

    private final String kafkaBootstrap;
    private final PostgresServer postgres;

    private TestInfrastructure(String kafkaBootstrap, PostgresServer postgres) {
        this.kafkaBootstrap = kafkaBootstrap;
        this.postgres = postgres;
    }

    /**
     * The JVM's infrastructure, started on the first call; every topic of the suite exists. Quarkus
     * runs tests with other profiles in other class loaders, so the first one leaves the addresses
     * in system properties and the others reuse the same broker and server.
     */
    public static synchronized TestInfrastructure get() {
        if (instance == null) {
            String shared = System.getProperty(SHARED_KAFKA);
            if (shared != null) {
                instance = new TestInfrastructure(shared, PostgresServer.locate(null, false));
            } else {
                instance = DockerProbe.dockerAvailable() ? withContainers() : withLocalProcesses();
                TopicProvisioner.ensure(
                        instance.kafkaBootstrap, Topics.ALL, (short) 1, Duration.ofSeconds(60));
                System.setProperty(SHARED_KAFKA, instance.kafkaBootstrap);
                System.setProperty("GATEHOUSE_PG_HOST", instance.postgres.host());
                System.setProperty("GATEHOUSE_PG_PORT", Integer.toString(instance.postgres.port()));
                System.setProperty("GATEHOUSE_PG_USER", instance.postgres.user());
                System.setProperty("GATEHOUSE_PG_PASSWORD", instance.postgres.password());
            }
        }
        return instance;
    }

    private static final String SHARED_KAFKA = "gatehouse.test.kafka-bootstrap";

    private static TestInfrastructure withContainers() {
        LOGGER.info("tests use Testcontainers (a Docker engine answered)");
        var kafka = new KafkaContainer("apache/kafka:4.1.1");
        var pg = new PostgreSQLContainer("postgres:17-alpine");
        kafka.start();
        pg.start();
        System.setProperty("GATEHOUSE_PG_HOST", pg.getHost());
        System.setProperty("GATEHOUSE_PG_PORT", Integer.toString(pg.getFirstMappedPort()));
        System.setProperty("GATEHOUSE_PG_USER", pg.getUsername());
        System.setProperty("GATEHOUSE_PG_PASSWORD", pg.getPassword());
        PostgresServer postgres = PostgresServer.locate(null, false);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    kafka.stop();
                                    pg.stop();
                                }));
        return new TestInfrastructure(kafka.getBootstrapServers(), postgres);
    }

    /**
     * Kept referenced: java.util.logging holds loggers weakly, and a collected one loses its level.
     */
    private static final List<java.util.logging.Logger> QUIET =
            List.of(
                    java.util.logging.Logger.getLogger("org.apache.kafka"),
                            java.util.logging.Logger.getLogger("kafka"),
                    java.util.logging.Logger.getLogger("state.change.logger"),
                            java.util.logging.Logger.getLogger("io.zonky"));

    private static TestInfrastructure withLocalProcesses() {
        // the broker shares the test JVM's log: only its warnings belong there
        QUIET.forEach(logger -> logger.setLevel(java.util.logging.Level.WARNING));
        try {
            Path dir = Files.createTempDirectory("gatehouse-test-");
            KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), Duration.ofSeconds(90));
            PostgresServer postgres = PostgresServer.locate(dir.resolve("postgres"), true);
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        kafka.close();
                                        postgres.close();
                                        deleteRecursively(dir);
                                    }));
            LOGGER.infof(
                    "tests use an in-JVM Kafka broker at %s and %s PostgreSQL",
                    kafka.bootstrapServers(), postgres.isEmbedded() ? "an embedded" : "a running");
            return new TestInfrastructure(kafka.bootstrapServers(), postgres);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot create a temporary directory for the test broker", e);
        }
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    /** A fresh database with a unique name, created now. */
    public String freshDatabase(String prefix) {
        String name = prefix + "_" + Long.toHexString(System.nanoTime());
        postgres.ensureDatabase(name);
        return name;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temporary files only
        }
    }
}
