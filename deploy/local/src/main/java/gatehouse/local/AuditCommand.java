package gatehouse.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ./gatehouse audit log|state|verify}: the audit log's reader (admin-service, ADR 0010) from
 * the command line, through the gateway URL of {@code ./gatehouse up} ({@code GATEHOUSE_HTTP_PORT},
 * or {@code GATEHOUSE_URL}) with the admin secret ({@code TYK_GW_SECRET}). Exit codes: 0 done (and
 * the log intact), 1 the log is broken, 2 usage, 3 the suite cannot answer.
 */
public final class AuditCommand {

    static final String USAGE =
            """
            usage: ./gatehouse audit log [--since T] [--until T] [--resource-type TYPE] [--resource-id ID]
                                         [--actor ACTOR] [--action ACTION] [--outcome committed|refused] [--json]
                   ./gatehouse audit state --at T
                   ./gatehouse audit verify [--json]
            T is an ISO-8601 instant, e.g. 2026-12-02T10:00:00Z. Uses TYK_GW_SECRET and GATEHOUSE_HTTP_PORT
            (default 8080) as ./gatehouse up does.""";

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final URI base;
    private final String secret;
    private final PrintStream out;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AuditCommand(URI base, String secret, PrintStream out) {
        this.base = base;
        this.secret = secret;
        this.out = out;
    }

    /** Thrown for a call the user must correct; exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /**
     * The command as {@code ./gatehouse audit} runs it: the suite's URL and secret from the
     * environment; messages to {@code err}.
     *
     * @return the exit code
     */
    static int fromEnvironment(String[] args, PrintStream out, PrintStream err) {
        String port = env("GATEHOUSE_HTTP_PORT", "8080");
        URI base = URI.create(env("GATEHOUSE_URL", "http://localhost:" + port));
        String secret = env("TYK_GW_SECRET", null);
        try {
            if (secret == null) {
                throw new UsageException(
                        "set TYK_GW_SECRET to the admin secret ./gatehouse up uses (it prints it)");
            }
            return new AuditCommand(base, secret, out).run(args);
        } catch (UsageException e) {
            err.println("gatehouse audit: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (IllegalStateException e) {
            err.println("gatehouse audit: " + e.getMessage());
            return 3;
        }
    }

    /** Runs one command; the exit code. */
    int run(String[] args) {
        if (args.length == 0) {
            throw new UsageException("say log, state or verify");
        }
        Map<String, String> options = options(args);
        return switch (args[0]) {
            case "log" -> log(options);
            case "state" -> state(options);
            case "verify" -> verify(options);
            default -> throw new UsageException("unknown audit command '" + args[0] + "'");
        };
    }

    private int log(Map<String, String> options) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String name :
                new String[] {
                    "since", "until", "resource-type", "resource-id", "actor", "action", "outcome"
                }) {
            String value = options.remove(name);
            if (value != null) {
                if (name.equals("since") || name.equals("until")) {
                    checkInstant(name, value);
                }
                query.put(name.replace('-', '_'), value);
            }
        }
        boolean json = options.remove("json") != null;
        refuseLeftovers(options);
        query.put("page_size", "1000");
        int page = 1;
        long pages;
        do {
            query.put("p", Integer.toString(page));
            JsonNode body = get("/tyk/audit/events", query);
            for (JsonNode event : body.path("events")) {
                out.println(json ? event.toString() : line(event));
            }
            pages = body.path("pages").asLong();
            page++;
        } while (page <= pages);
        return 0;
    }

    private int state(Map<String, String> options) {
        String at = options.remove("at");
        if (at == null) {
            throw new UsageException("state needs --at T");
        }
        checkInstant("at", at);
        refuseLeftovers(options);
        out.println(pretty(get("/tyk/audit/state", Map.of("at", at))));
        return 0;
    }

    private int verify(Map<String, String> options) {
        boolean json = options.remove("json") != null;
        refuseLeftovers(options);
        JsonNode report = get("/tyk/audit/verify", Map.of());
        boolean intact = "intact".equals(report.path("status").asText());
        if (json) {
            out.println(pretty(report));
            return intact ? 0 : 1;
        }
        out.printf(
                "audit log %s: %d entries, %d repeated publications, %d checkpoints checked%n",
                intact ? "intact" : "BROKEN",
                report.path("entries").asLong(),
                report.path("duplicates").asLong(),
                report.path("checkpoints_checked").asLong());
        report.path("owners")
                .fields()
                .forEachRemaining(
                        owner ->
                                out.printf(
                                        "  %-14s last entry #%d, signed up to #%d%n",
                                        owner.getKey(),
                                        owner.getValue().path("last_seq").asLong(),
                                        owner.getValue().path("checkpointed_seq").asLong()));
        for (JsonNode missing : report.path("checkpoints_unavailable")) {
            out.println("  checkpoints not read: " + missing.asText());
        }
        if (!intact) {
            JsonNode first = report.path("first_broken");
            out.printf(
                    "first broken link: %s, %s entry #%d%s: %s%n",
                    first.path("kind").asText(),
                    first.path("owner").asText(),
                    first.path("seq").asLong(),
                    first.path("position").isNull() ? "" : " at " + first.path("position").asText(),
                    first.path("message").asText());
            for (JsonNode problem : report.path("problems")) {
                out.printf(
                        "  %s %s #%d: %s%n",
                        problem.path("kind").asText(),
                        problem.path("owner").asText(),
                        problem.path("seq").asLong(),
                        problem.path("message").asText());
            }
        }
        return intact ? 0 : 1;
    }

    /** One entry as a line: when, who, what, and the changed fields. */
    static String line(JsonNode event) {
        StringBuilder line = new StringBuilder();
        line.append(event.path("time").asText())
                .append("  ")
                .append(event.path("owner").asText())
                .append(" #")
                .append(event.path("seq").asLong())
                .append("  ");
        if ("refused".equals(event.path("outcome").asText())) {
            line.append("REFUSED ")
                    .append(event.path("action").asText())
                    .append(' ')
                    .append(event.path("path").asText())
                    .append(" -> ")
                    .append(event.path("status").asInt());
        } else {
            line.append(event.path("action").asText())
                    .append(' ')
                    .append(event.path("resource_type").asText())
                    .append(' ')
                    .append(event.path("resource_id").asText())
                    .append(" v")
                    .append(event.path("version").asLong());
        }
        line.append("  by ").append(event.path("actor").asText());
        if (!event.path("address").isNull()) {
            line.append(" from ").append(event.path("address").asText());
        }
        line.append(" (request ").append(event.path("request_id").asText()).append(')');
        int shown = 0;
        for (JsonNode change : event.path("diff")) {
            if (shown++ == 5) {
                line.append("  …");
                break;
            }
            line.append("  ")
                    .append(change.path("path").asText())
                    .append(": ")
                    .append(change.has("before") ? abbreviated(change.get("before")) : "-")
                    .append(" -> ")
                    .append(change.has("after") ? abbreviated(change.get("after")) : "-");
        }
        return line.toString();
    }

    private static String abbreviated(JsonNode value) {
        String text = value.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    private JsonNode get(String path, Map<String, String> query) {
        StringBuilder uri = new StringBuilder(path);
        char separator = '?';
        for (var entry : query.entrySet()) {
            uri.append(separator)
                    .append(entry.getKey())
                    .append('=')
                    .append(URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        HttpRequest request =
                HttpRequest.newBuilder(base.resolve(uri.toString()))
                        .header("x-tyk-authorization", secret)
                        .timeout(Duration.ofSeconds(120))
                        .GET()
                        .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "no answer from " + base + " (is ./gatehouse up running?): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        if (response.statusCode() != 200) {
            String message =
                    body != null && body.has("message")
                            ? body.get("message").asText()
                            : response.body();
            if (response.statusCode() == 400) {
                throw new UsageException(message);
            }
            throw new IllegalStateException(
                    base + " answered " + response.statusCode() + ": " + message);
        }
        return body;
    }

    private static String pretty(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            return node.toString();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else if (name.equals("json")) {
                value = "true";
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException("--" + name + " needs a value");
            }
            options.put(name, value);
        }
        return options;
    }

    private static void refuseLeftovers(Map<String, String> options) {
        if (!options.isEmpty()) {
            throw new UsageException("unknown option --" + options.keySet().iterator().next());
        }
    }

    private static void checkInstant(String name, String value) {
        try {
            OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new UsageException(
                    "--"
                            + name
                            + " must be an ISO-8601 instant, e.g. 2026-12-02T10:00:00Z, not '"
                            + value
                            + "'");
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
