package gatehouse.gateway;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.lang.reflect.Field;
import org.jboss.logging.Logger;

/**
 * Netty's HTTP decoder reads a request with both {@code Transfer-Encoding: chunked} and {@code
 * Content-Length} by the former and silently drops the latter, so the gateway could neither refuse
 * it nor close the connection after it, as RFC 9112 §6.3 asks (a front proxy reading the length
 * would see a different next request: request smuggling). Neither Vert.x nor Quarkus exposes the
 * decoder, so once the main HTTP server listens, each of its connection workers is given a hook
 * that swaps in a decoder refusing that combination (Vert.x then answers 400 and closes). This
 * reaches into Vert.x internals on purpose: {@code RawRequestRowsTest} fails at once if an upgrade
 * moves them.
 */
@ApplicationScoped
public class StrictRequestDecoding {

    private static final Logger LOGGER = Logger.getLogger(StrictRequestDecoding.class);
    private static final String DECODER = "httpDecoder";

    private final Vertx vertx;

    StrictRequestDecoding(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Refuses what Netty would otherwise reinterpret. */
    static final class StrictDecoder extends VertxHttpRequestDecoder {
        StrictDecoder(HttpServerOptions options) {
            super(options);
        }

        @Override
        protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
            throw new IllegalArgumentException("Transfer-Encoding and Content-Length together");
        }
    }

    /** Marks a worker's connection handler as already hooked. */
    private interface Strict extends Handler<Object> {}

    void install(@ObservesAsync HttpServerStart start) {
        // Quarkus announces the start once; the servers of the other event loops may still be
        // binding
        tryInstall(50);
    }

    private synchronized void tryInstall(int attemptsLeft) {
        int hooked = 0;
        int servers = 0;
        try {
            VertxInternal internal = (VertxInternal) vertx;
            for (String id : internal.deploymentIDs()) {
                var deployment = internal.getDeployment(id);
                if (deployment == null) {
                    continue;
                }
                for (var verticle : deployment.getVerticles()) {
                    if (verticle.getClass()
                            .getName()
                            .endsWith("VertxHttpRecorder$WebDeploymentVerticle")) {
                        servers++;
                        hooked += hook(read(verticle, "httpServer"));
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOGGER.errorf(
                    "could not install the strict HTTP decoder (%s): requests with both Transfer-Encoding and "
                            + "Content-Length are read by Transfer-Encoding",
                    e);
            return;
        }
        if (hooked < servers || servers == 0) {
            if (attemptsLeft > 0) {
                vertx.setTimer(100, id -> tryInstall(attemptsLeft - 1));
            } else {
                LOGGER.errorf(
                        "the strict HTTP decoder reached %d of %d HTTP servers: on the others, requests with "
                                + "both Transfer-Encoding and Content-Length are read by Transfer-Encoding",
                        hooked, servers);
            }
            return;
        }
        LOGGER.debugf("strict HTTP decoder on the %d HTTP servers of the main port", servers);
    }

    @SuppressWarnings("unchecked")
    private static int hook(Object server) throws ReflectiveOperationException {
        if (server == null) {
            return 0;
        }
        Object worker = read(server, "childHandler");
        if (worker == null
                || !worker.getClass()
                        .getName()
                        .equals("io.vertx.core.http.impl.HttpServerWorker")) {
            return 0;
        }
        HttpServerOptions options = (HttpServerOptions) read(worker, "options");
        Field field = field(worker.getClass(), "connectionHandler");
        Handler<Object> original = (Handler<Object>) field.get(worker);
        if (original instanceof Strict) {
            return 1; // hooked on an earlier start event
        }
        Handler<Object> strict =
                (Strict)
                        connection -> {
                            if (connection instanceof ConnectionBase base) {
                                ChannelPipeline pipeline = base.channel().pipeline();
                                if (pipeline.get(DECODER) instanceof VertxHttpRequestDecoder decoder
                                        && !(decoder instanceof StrictDecoder)) {
                                    pipeline.replace(DECODER, DECODER, new StrictDecoder(options));
                                }
                            }
                            original.handle(connection);
                        };
        field.set(worker, strict);
        return 1;
    }

    private static Object read(Object target, String name) throws ReflectiveOperationException {
        return field(target.getClass(), name).get(target);
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }
}
