package gatehouse.gateway.framing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.gateway.EchoOwnersResource;
import gatehouse.gateway.state.RoutingTableHolder;
import gatehouse.testsupport.GatehouseTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * Request framing (RFC 9112 §3.2, §5, §6, §7) and path handling (ADR 0007) as raw bytes on a
 * socket, so no client library tidies a vector before it reaches the gateway: an ambiguous request
 * is refused with a 400 and the connection closed (no byte after it runs as a request); a path is
 * refused or resolved once, and the upstream (an echo server) sees exactly the path that was routed
 * and checked.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@QuarkusTestResource(EchoOwnersResource.class)
class RawRequestRowsTest {

    private static boolean published;

    @Inject RoutingTableHolder tables;

    private static Map<String, String> apis() {
        String echo = EchoOwnersResource.url();
        return Map.of(
                "rw",
                        """
                        {"api_id":"rw","use_keyless":true,"proxy":{"listen_path":"/rw/","target_url":"%s/pubtarget/",
                         "strip_listen_path":true},"version_data":{"not_versioned":true,"versions":{
                          "Default":{"name":"Default","paths":{"black_list":["/admin"]}}}}}"""
                                .formatted(echo),
                "rwpriv",
                        """
                        {"api_id":"rwpriv","use_keyless":false,"auth":{"auth_header_name":"Authorization"},
                         "proxy":{"listen_path":"/rwpriv/","target_url":"%s/privtarget/","strip_listen_path":true}}"""
                                .formatted(echo));
    }

    @BeforeEach
    void publishTheApisOnce() throws Exception {
        if (published) {
            return;
        }
        gatehouse.gateway.TestApis.publish(apis());
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                tables.current().api("rw") != null
                                        && tables.current().api("rwpriv") != null);
        published = true;
    }

    @ParameterizedTest(name = "{0} -> {2} closed={3}")
    @CsvFileSource(
            resources = "/compat/raw-requests.csv",
            delimiter = '|',
            quoteCharacter = '`',
            numLinesToSkip = 1,
            nullValues = {})
    void row(String vector, String request, String statuses, String closed, String seen)
            throws IOException {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        List<Integer> expected =
                statuses.equals("none")
                        ? List.of()
                        : Arrays.stream(statuses.split(","))
                                .map(String::trim)
                                .map(Integer::valueOf)
                                .toList();
        Exchange exchange = Exchange.run(port, unescape(request), expected.size());
        assertEquals(
                expected,
                exchange.statuses(),
                vector + ": statuses; answers were\n" + exchange.text());
        if ("yes".equals(closed)) {
            assertTrue(
                    exchange.closed(),
                    vector + ": the connection must be closed; answers were\n" + exchange.text());
        }
        if (seen != null && !seen.isEmpty()) {
            if (seen.startsWith("!")) {
                assertFalse(
                        exchange.text().contains(seen.substring(1)),
                        vector + ": must not show " + seen.substring(1) + "\n" + exchange.text());
            } else {
                assertTrue(
                        exchange.text().contains(seen),
                        vector + ": must show " + seen + "\n" + exchange.text());
            }
        }
    }

    static byte[] unescape(String text) {
        var out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                switch (next) {
                    case 'r' -> out.write('\r');
                    case 'n' -> out.write('\n');
                    case 't' -> out.write('\t');
                    case '\\' -> out.write('\\');
                    case 'x' -> {
                        out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                        i += 2;
                    }
                    default -> throw new IllegalArgumentException("unknown escape \\" + next);
                }
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    /**
     * The responses read off one connection, until the expected count arrived and the peer closed,
     * or a deadline.
     */
    record Exchange(List<Integer> statuses, boolean closed, String text) {

        static Exchange run(int port, byte[] request, int expected) throws IOException {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(300);
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                InputStream in = socket.getInputStream();
                var received = new ByteArrayOutputStream();
                byte[] buffer = new byte[8192];
                boolean closed = false;
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (System.nanoTime() < deadline) {
                    try {
                        int n = in.read(buffer);
                        if (n < 0) {
                            closed = true;
                            break;
                        }
                        received.write(buffer, 0, n);
                    } catch (SocketTimeoutException e) {
                        // a connection left open: done once every expected answer is in and nothing
                        // more comes
                        if (parse(received.toString(StandardCharsets.ISO_8859_1)).size()
                                >= expected) {
                            break;
                        }
                    } catch (java.net.SocketException e) {
                        closed = true; // reset by the peer
                        break;
                    }
                }
                String text = received.toString(StandardCharsets.ISO_8859_1);
                return new Exchange(parse(text), closed, text);
            }
        }

        private static final java.util.regex.Pattern STATUS_LINE =
                java.util.regex.Pattern.compile("HTTP/\\d\\.\\d (\\d{3}) ");

        private static List<Integer> parse(String text) {
            List<Integer> statuses = new ArrayList<>();
            var matcher = STATUS_LINE.matcher(text);
            while (matcher.find()) {
                statuses.add(Integer.parseInt(matcher.group(1)));
            }
            return statuses;
        }
    }
}
