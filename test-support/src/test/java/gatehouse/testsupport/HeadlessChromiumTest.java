package gatehouse.testsupport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The DOM comes back after the page's script fetched and wrote, and the fragment stays local. */
class HeadlessChromiumTest {

    private static final String PAGE =
            """
            <!doctype html><html><body data-state="loading"><p id="out">not yet</p>
            <script>
            setTimeout(function () {
              fetch("/data?from=" + encodeURIComponent(location.hash.slice(1)))
                .then(function (r) { return r.text(); })
                .then(function (t) {
                  document.getElementById("out").textContent = "fetched " + t;
                  document.body.setAttribute("data-state", "ready");
                });
            }, 500);
            </script></body></html>
            """;

    private HttpServer server;
    private final List<String> requested = new CopyOnWriteArrayList<>();

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    requested.add(exchange.getRequestURI().toString());
                    if (exchange.getRequestURI().getPath().equals("/data")) {
                        reply(exchange, "text/plain", "the figures");
                    } else if (exchange.getRequestURI().getPath().equals("/page/")) {
                        reply(exchange, "text/html", PAGE);
                    } else {
                        exchange.sendResponseHeaders(404, -1);
                        exchange.close();
                    }
                });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void dumpsTheDomAfterThePagesScriptsRan() {
        HeadlessChromium chromium = HeadlessChromium.require("HeadlessChromiumTest");
        URI page =
                URI.create(
                        "http://127.0.0.1:" + server.getAddress().getPort() + "/page/#secret-part");

        String dom = chromium.dumpDom(page);

        assertTrue(dom.contains("fetched the figures"), dom);
        assertTrue(dom.contains("data-state=\"ready\""), dom);
        // a fragment is not sent in the request line: only the page's own script read it
        assertFalse(
                requested.stream().anyMatch(r -> r.startsWith("/page/") && r.contains("secret")),
                requested.toString());
        assertTrue(requested.contains("/data?from=secret-part"), requested.toString());
    }

    private static void reply(HttpExchange exchange, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
