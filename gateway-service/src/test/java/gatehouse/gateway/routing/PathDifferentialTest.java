package gatehouse.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.contracts.http.RequestPaths;
import gatehouse.contracts.tyk.ApiDefinition;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * 100,000 generated paths ({@code //}, {@code ;}, {@code %2F}, {@code %5C}, {@code %2e},
 * dot-segments, case, double encoding) through the canonical reading, routing, the path rules and
 * the upstream path, each compared with a reference: how the most credulous upstream would read the
 * path (every escape decoded until nothing changes, {@code \} as {@code /}, case and {@code
 * ;parameters} ignored, dot segments resolved). No accepted path may leave its API's target, reach
 * a black-listed endpoint, or mean something else to that upstream than to the gateway; no control
 * path that such an upstream would read differently is served.
 */
class PathDifferentialTest {

    private static final String[] PIECES = {
        "pub",
        "priv",
        "admin",
        "ADMIN",
        "Admin",
        "%61dmin",
        "ad%6Din",
        "open",
        "x",
        "..",
        ".",
        "%2e%2e",
        "%2E",
        ".%2e",
        "..%2f",
        "%2f",
        "%2F",
        "%5c",
        "\\",
        ";x=1",
        "..;",
        "",
        "%252e%252e",
        "%25",
        "a%00b",
        "%c0%ae",
        "%e2%82%ac",
        "tyk",
        "apis",
        "policies",
        "%74yk",
        "a b",
        "#",
        "%",
        "%zz",
        "~"
    };
    private static final int PATHS = 100_000;

    private final RoutingTable table =
            RoutingTable.of(
                    List.of(
                            route(
                                    "pub",
                                    "/pub/",
                                    "http://up/pubtarget/",
                                    "{\"black_list\":[\"/admin\"],\"ignored\":[\"/open\"]}"),
                            route("priv", "/priv/", "http://up/privtarget/", "{}")));

    private static ApiRoute route(String id, String listenPath, String target, String paths) {
        return ApiRoute.of(
                ApiDefinition.parse(
                        """
                {"api_id":"%s","use_keyless":true,"proxy":{"listen_path":"%s","target_url":"%s","strip_listen_path":true},
                 "version_data":{"not_versioned":true,"versions":{"Default":{"name":"Default","paths":%s}}}}"""
                                .formatted(id, listenPath, target, paths)),
                1);
    }

    @Test
    void noGeneratedPathEscapesItsTargetOrBypassesARule() {
        Random random = new Random(20261202L);
        int accepted = 0;
        int refusedControl = 0;
        List<String> failures = new ArrayList<>();
        for (int n = 0; n < PATHS && failures.size() < 20; n++) {
            String raw = generate(random, n % 3 == 0 ? "/tyk/" : n % 3 == 1 ? "/pub/" : "/priv/");
            if (raw.startsWith("/tyk/")) {
                if (RequestPaths.controlPathRefusal(raw) == null) {
                    String decoded = decodedFully(raw.replaceAll("/+$", ""));
                    String[] segments = decoded.split("/", -1);
                    boolean traverses =
                            decoded.contains("\\")
                                    || decoded.contains(";")
                                    || java.util.Arrays.stream(segments)
                                            .skip(1)
                                            .anyMatch(
                                                    seg ->
                                                            seg.isEmpty()
                                                                    || seg.equals(".")
                                                                    || seg.equals(".."))
                                    || segments.length
                                            != raw.replaceAll("/+$", "").split("/", -1).length;
                    if (traverses) {
                        failures.add(
                                "control path served though an upstream could read it as another: "
                                        + raw);
                    }
                } else {
                    refusedControl++;
                }
                continue;
            }
            String path;
            try {
                path = RequestPaths.canonical(raw);
            } catch (RequestPaths.RefusedPathException e) {
                continue;
            }
            accepted++;
            if (!credulous(raw).equals(credulous(path))) {
                failures.add("canonical form changes the meaning: " + raw + " -> " + path);
                continue;
            }
            RoutingTable.Match match = table.match(path);
            if (match == null) {
                continue;
            }
            ApiRoute route = match.route();
            String afterListen = path.substring(match.prefix().length());
            String upstream = route.upstreamPath(route.upstream(), match.prefix(), path);
            String target = route.apiId().equals("pub") ? "/pubtarget/" : "/privtarget/";
            String seen = credulous(upstream);
            if (!(seen + "/").startsWith(target)) {
                failures.add("left the target: " + raw + " -> " + upstream + " read as " + seen);
                continue;
            }
            if (route.apiId().equals("pub") && route.versioning() != null) {
                var outcome =
                        route.versioning().check("GET", path, afterListen, h -> null, p -> null);
                boolean refused = outcome instanceof Versioning.Refused;
                // the ignored rule comes first, as on Tyk: a path it matches is the configuration's
                // choice
                if (seen.startsWith("/pubtarget/admin") && !refused && !path.contains("/open")) {
                    failures.add("black list bypassed: " + raw + " reaches " + seen);
                }
                if (outcome instanceof Versioning.Passed passed
                        && passed.ignored()
                        && !path.contains("/open")) {
                    failures.add("ignored (no auth) without /open: " + raw);
                }
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(
                accepted > 10_000, "the generator must exercise accepted paths, got " + accepted);
        assertTrue(
                refusedControl > 10_000,
                "the generator must exercise refused control paths, got " + refusedControl);
    }

    private static String generate(Random random, String start) {
        StringBuilder path = new StringBuilder(start);
        int segments = 1 + random.nextInt(5);
        for (int s = 0; s < segments; s++) {
            path.append(PIECES[random.nextInt(PIECES.length)]);
            if (random.nextInt(3) == 0) {
                path.append(PIECES[random.nextInt(PIECES.length)]);
            }
            path.append(random.nextInt(6) == 0 ? "//" : random.nextInt(5) == 0 ? "" : "/");
        }
        return path.toString();
    }

    /** The reference: how the most credulous upstream reads a path. */
    static String credulous(String path) {
        return resolve(decodedFully(path));
    }

    /**
     * Every escape decoded until nothing changes, as a server that decodes more than once would.
     */
    static String decodedFully(String path) {
        String decoded = path;
        for (int round = 0; round < 4; round++) {
            String next;
            try {
                next = URLDecoder.decode(decoded.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                next = decoded;
            }
            if (next.equals(decoded)) {
                break;
            }
            decoded = next;
        }
        return decoded;
    }

    private static String resolve(String decodedPath) {
        String decoded = decodedPath.replace('\\', '/').toLowerCase(Locale.ROOT);
        Deque<String> kept = new ArrayDeque<>();
        String[] segments = decoded.split("/", -1);
        for (String segment : segments) {
            int semicolon = segment.indexOf(';');
            String bare = semicolon < 0 ? segment : segment.substring(0, semicolon);
            if (bare.isEmpty() || bare.equals(".")) {
                continue;
            }
            if (bare.equals("..")) {
                kept.pollLast();
            } else {
                kept.addLast(bare);
            }
        }
        return "/" + String.join("/", kept);
    }
}
