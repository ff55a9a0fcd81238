package gatehouse.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;

/**
 * A small real HTTP upstream for tests: answers every request with 200 and a JSON echo of what it
 * received ({@code method}, {@code path}, {@code query}, {@code headers} lower-cased, {@code
 * body}), and 200 on {@code /q/health/ready} so it can also stand in for an owner service's
 * readiness.
 */
public final class EchoUpstream implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // the JDK server writes headers and body apart: without TCP_NODELAY, Nagle and delayed ACKs
        // add
        // 40 ms to every proxied request, and load tests measure the echo server instead of the
        // gateway
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;

    private EchoUpstream(HttpServer server) {
        this.server = server;
    }

    /** Starts on a free loopback port. */
    public static EchoUpstream start() {
        return start(java.util.Map.of());
    }

    /**
     * Starts on a free loopback port with handlers of its own for some path prefixes (a stand-in
     * for an owner's internal endpoint, say); every other path is echoed.
     */
    public static EchoUpstream start(
            java.util.Map<String, com.sun.net.httpserver.HttpHandler> handlers) {
        try {
            HttpServer server =
                    HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.setExecutor(
                    Executors.newFixedThreadPool(
                            4,
                            r -> {
                                Thread t = new Thread(r, "echo-upstream");
                                t.setDaemon(true);
                                return t;
                            }));
            server.createContext("/", EchoUpstream::echo);
            handlers.forEach(server::createContext);
            server.start();
            return new EchoUpstream(server);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the echo upstream", e);
        }
    }

    private static void echo(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders()
                    .forEach(
                            (name, values) ->
                                    headers.put(name.toLowerCase(), String.join(",", values)));
            var echo = new TreeMap<String, Object>();
            echo.put("method", exchange.getRequestMethod());
            echo.put("path", exchange.getRequestURI().getRawPath());
            echo.put("query", exchange.getRequestURI().getRawQuery());
            echo.put("headers", headers);
            echo.put("body", new String(body, StandardCharsets.UTF_8));
            byte[] out = JSON.writeValueAsBytes(echo);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("X-Echo", "yes");
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
        } finally {
            exchange.close();
        }
    }

    /** {@code http://127.0.0.1:<port>} */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
