package gatehouse.contracts.http;

import java.util.Set;

/**
 * Tells a dependency outage (database or broker unreachable, a connection lost or timed out) from a
 * fault of our own, by the failure's cause chain. Class names, not types: the owners use different
 * clients, and contracts depends on none of them.
 */
public final class DependencyFailures {

    /**
     * What a caller is told: retry later; an auth error would send them looking for the wrong
     * fault.
     */
    public static final String MESSAGE =
            "A storage dependency is unavailable; the request could not be completed, retry later";

    private static final Set<String> UNAVAILABLE =
            Set.of(
                    "java.net.ConnectException",
                    "java.net.NoRouteToHostException",
                    "java.net.SocketTimeoutException",
                    "java.nio.channels.ClosedChannelException",
                    "java.util.concurrent.TimeoutException",
                    "io.netty.channel.ConnectTimeoutException",
                    "io.netty.channel.AbstractChannel$AnnotatedConnectException",
                    "io.vertx.core.VertxException",
                    "io.vertx.sqlclient.ClosedConnectionException",
                    "io.vertx.core.http.ConnectionPoolTooBusyException",
                    "io.smallrye.mutiny.TimeoutException",
                    "org.apache.kafka.common.errors.TimeoutException");

    private DependencyFailures() {}

    /**
     * True when the failure, or one of its causes, is a dependency that could not be reached in
     * time.
     */
    public static boolean isUnavailable(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            String name = t.getClass().getName();
            if (UNAVAILABLE.contains(name)
                    && !(name.equals("io.vertx.core.VertxException") && !mentionsConnection(t))) {
                return true;
            }
            if (name.equals("io.vertx.pgclient.PgException") && isConnectionState(t)) {
                return true;
            }
            if (mentionsConnection(t) && name.startsWith("org.hibernate.")) {
                return true;
            }
        }
        return false;
    }

    /** A one-line account for the log: the innermost cause. */
    public static String describe(Throwable failure) {
        Throwable inner = failure;
        int depth = 0;
        while (inner.getCause() != null && inner.getCause() != inner && depth++ < 16) {
            inner = inner.getCause();
        }
        return inner.getClass().getSimpleName() + ": " + inner.getMessage();
    }

    private static boolean mentionsConnection(Throwable t) {
        String message = t.getMessage();
        return message != null && (message.contains("onnection") || message.contains("closed"));
    }

    // SQLSTATE class 08 (connection exception), 57P01-57P03 (server shutting down, cannot connect
    // now)
    private static boolean isConnectionState(Throwable t) {
        try {
            Object state = t.getClass().getMethod("getSqlState").invoke(t);
            String code = state == null ? "" : state.toString();
            return code.startsWith("08") || code.startsWith("57P");
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
