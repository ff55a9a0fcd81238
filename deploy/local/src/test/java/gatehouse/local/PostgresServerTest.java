package gatehouse.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerTest {

    @Test
    void aDatabaseCanBeCreatedUsedAndDropped(@TempDir Path dir) throws Exception {
        try (PostgresServer server = PostgresServer.locate(dir, true)) {
            String name = "gatehouse_local_test_" + ProcessHandle.current().pid();
            server.ensureDatabase(name);
            server.ensureDatabase(name); // idempotent
            try (var c = DriverManager.getConnection(server.jdbcUrl(name), credentials(server));
                    var rs = c.createStatement().executeQuery("select current_database()")) {
                rs.next();
                assertEquals(name, rs.getString(1));
            }
            server.dropDatabase(name);
            assertThrows(
                    SQLException.class,
                    () ->
                            DriverManager.getConnection(server.jdbcUrl(name), credentials(server))
                                    .close());
        }
    }

    @Test
    void theEmbeddedServerServesAFreshMachine(@TempDir Path dir) throws Exception {
        try (PostgresServer server = PostgresServer.startEmbedded(dir, true)) {
            server.ensureDatabase("gatehouse_embedded");
            try (var c =
                            DriverManager.getConnection(
                                    server.jdbcUrl("gatehouse_embedded"), credentials(server));
                    var rs = c.createStatement().executeQuery("select 40 + 2")) {
                rs.next();
                assertEquals(42, rs.getInt(1));
            }
            assertEquals(true, server.isEmbedded());
        }
    }

    @Test
    void unsafeDatabaseNamesAreRefused(@TempDir Path dir) {
        try (PostgresServer server = PostgresServer.locate(dir, true)) {
            assertThrows(IllegalArgumentException.class, () -> server.ensureDatabase("x\"; drop"));
        }
    }

    private static Properties credentials(PostgresServer server) {
        Properties p = new Properties();
        p.setProperty("user", server.user());
        p.setProperty("password", server.password());
        return p;
    }
}
