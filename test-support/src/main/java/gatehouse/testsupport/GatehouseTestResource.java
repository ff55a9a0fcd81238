package gatehouse.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Wires a {@code @QuarkusTest} to the real broker and, for an owner service, to a fresh database of
 * its own. Use {@code @QuarkusTestResource(value = GatehouseTestResource.class, initArgs
 * = @ResourceArg(name = "database", value = "admin"))}; without the {@code database} argument no
 * datasource is configured (the gateway holds no database).
 */
public class GatehouseTestResource implements QuarkusTestResourceLifecycleManager {

    /** The admin secret the tests' services are started with. */
    public static final String ADMIN_SECRET = "test-admin-secret";

    private String database;
    private EchoUpstream admin;

    /** The Ed25519 key the owners sign audit checkpoints with in tests (one per test JVM). */
    public static final String AUDIT_SIGNING_KEY =
            gatehouse.contracts.audit.AuditSigner.generatePrivateKey();

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get("database");
    }

    @Override
    public Map<String, String> start() {
        TestInfrastructure infra = TestInfrastructure.get();
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", infra.kafkaBootstrap());
        config.put("gatehouse.admin-secret", ADMIN_SECRET);
        config.put("gatehouse.audit.signing-key", AUDIT_SIGNING_KEY);
        // the owners' read-through to admin-service (ADR 0008): in a one-service test, admin has
        // nothing
        // the test did not publish on the topics itself
        admin =
                EchoUpstream.start(
                        Map.of(
                                "/tyk/",
                                exchange -> {
                                    exchange.sendResponseHeaders(404, -1);
                                    exchange.close();
                                }));
        config.put("gatehouse.catalog.admin-url", admin.url());
        if (database != null) {
            String name = infra.freshDatabase("gatehouse_test_" + database);
            var pg = infra.postgres();
            config.put("quarkus.datasource.reactive.url", pg.reactiveUrl(name));
            config.put("quarkus.datasource.jdbc.url", pg.jdbcUrl(name));
            config.put("quarkus.datasource.username", pg.user());
            config.put("quarkus.datasource.password", pg.password());
            database = name;
        }
        return config;
    }

    @Override
    public void stop() {
        if (admin != null) {
            admin.close();
        }
        if (database != null && database.startsWith("gatehouse_test_")) {
            TestInfrastructure.get().postgres().dropDatabase(database);
        }
    }
}
