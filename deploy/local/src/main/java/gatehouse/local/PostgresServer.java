package gatehouse.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The PostgreSQL server the suite uses on one machine, found in this order: the one configured with
 * {@code GATEHOUSE_PG_HOST}/{@code GATEHOUSE_PG_PORT} (environment or system property), else the
 * local server on 127.0.0.1:5432 if it answers, else an embedded PostgreSQL started from the Maven
 * Central binaries ({@code GATEHOUSE_PG_EMBEDDED=true} asks for that one directly). User and
 * password come from {@code GATEHOUSE_PG_USER} (default {@code postgres}) and {@code
 * GATEHOUSE_PG_PASSWORD}.
 */
public final class PostgresServer implements AutoCloseable {

    /** Thrown with a one-line explanation when a server answers but refuses us. */
    public static final class RefusedException extends IllegalStateException {
        RefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final EmbeddedPostgres embedded;

    private PostgresServer(
            String host, int port, String user, String password, EmbeddedPostgres embedded) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
    }

    /**
     * Finds or starts a server.
     *
     * @param embeddedDataDir where an embedded server keeps its data (kept between runs)
     * @param cleanEmbedded true to start an embedded server on an empty directory (tests)
     */
    public static PostgresServer locate(Path embeddedDataDir, boolean cleanEmbedded) {
        String user = setting("GATEHOUSE_PG_USER", "postgres");
        String password = setting("GATEHOUSE_PG_PASSWORD", "");
        String configuredHost = setting("GATEHOUSE_PG_HOST", null);
        if (configuredHost != null) {
            int port = Integer.parseInt(setting("GATEHOUSE_PG_PORT", "5432"));
            return verified(
                    new PostgresServer(configuredHost, port, user, password, null),
                    "the configured");
        }
        if (!Boolean.parseBoolean(setting("GATEHOUSE_PG_EMBEDDED", "false"))
                && Ports.answers("127.0.0.1", 5432, 500)) {
            return verified(
                    new PostgresServer("127.0.0.1", 5432, user, password, null), "the local");
        }
        return startEmbedded(embeddedDataDir, cleanEmbedded);
    }

    /** Starts an embedded PostgreSQL from the Maven Central binaries on a free port. */
    public static PostgresServer startEmbedded(Path dataDir, boolean clean) {
        return startEmbedded(dataDir, clean, Ports.free());
    }

    /**
     * Starts an embedded PostgreSQL on the given port, so one stopped earlier can come back where
     * its clients expect it (a database-outage drill restarts it on its data directory and port).
     */
    public static PostgresServer startEmbedded(Path dataDir, boolean clean, int port) {
        try {
            EmbeddedPostgres pg =
                    EmbeddedPostgres.builder()
                            .setDataDirectory(dataDir)
                            .setCleanDataDirectory(clean)
                            .setPort(port)
                            .start();
            return new PostgresServer("127.0.0.1", pg.getPort(), "postgres", "", pg);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the embedded PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    private static PostgresServer verified(PostgresServer server, String which) {
        try (Connection ignored = server.connect("postgres")) {
            return server;
        } catch (SQLException e) {
            throw new RefusedException(
                    which
                            + " PostgreSQL at "
                            + server.host
                            + ":"
                            + server.port
                            + " refused user '"
                            + server.user
                            + "' ("
                            + firstLine(e.getMessage())
                            + "); set GATEHOUSE_PG_USER and GATEHOUSE_PG_PASSWORD,"
                            + " or GATEHOUSE_PG_HOST/GATEHOUSE_PG_PORT for another server",
                    e);
        }
    }

    private static String setting(String name, String fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }

    /** Creates the database when it does not exist yet. */
    public void ensureDatabase(String name) {
        requireSafeName(name);
        try (Connection c = connect("postgres");
                PreparedStatement exists =
                        c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, name);
            if (!exists.executeQuery().next()) {
                try (Statement create = c.createStatement()) {
                    create.execute("create database \"" + name + "\"");
                }
            }
        } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) { // created meanwhile by someone else
                throw new IllegalStateException(
                        "cannot create database " + name + ": " + firstLine(e.getMessage()), e);
            }
        }
    }

    /** Drops the database, disconnecting its sessions. */
    public void dropDatabase(String name) {
        requireSafeName(name);
        try (Connection c = connect("postgres");
                Statement drop = c.createStatement()) {
            drop.execute("drop database if exists \"" + name + "\" with (force)");
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot drop database " + name + ": " + firstLine(e.getMessage()), e);
        }
    }

    private static void requireSafeName(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("unsafe database name: " + name);
        }
    }

    private Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "5");
        // the driver directly, not DriverManager: it may run under another class loader (Quarkus
        // tests)
        Connection connection = new org.postgresql.Driver().connect(jdbcUrl(database), props);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver refused the URL " + jdbcUrl(database));
        }
        return connection;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The URL form the reactive client takes. */
    public String reactiveUrl(String database) {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    /** Stops an embedded server; a server found running is left alone. */
    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new IllegalStateException(
                        "embedded PostgreSQL did not stop cleanly: " + e.getMessage(), e);
            }
        }
    }
}
