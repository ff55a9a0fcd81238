package gatehouse.admin.apis.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.admin.documents.InvalidDocumentException;
import gatehouse.admin.documents.JsonDocuments;
import gatehouse.contracts.tyk.ApiDefinition;
import gatehouse.contracts.tyk.TykMessages;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Reads and validates a classic API definition as Tyk does on {@code POST /tyk/apis} (COMPAT §5),
 * plus what Gatehouse needs to route it at once: a listen path and an absolute upstream URL.
 */
public final class ApiDefinitionRules {

    /** The id column's width. */
    private static final int MAX_ID_LENGTH = 255;

    /**
     * Paths the gateway answers itself before any API, so an API listening there could never be
     * served.
     */
    private static final java.util.List<String> RESERVED =
            java.util.List.of("/tyk", "/hello", "/ready");

    private ApiDefinitionRules() {}

    /**
     * @param body the request body
     * @return the document with {@code api_id} generated when empty
     * @throws InvalidDocumentException with Tyk's message
     */
    public static ApiDocument read(String body) {
        ObjectNode document = JsonDocuments.readObject(body);
        JsonNode id = document.get("api_id");
        if (id == null || id.isNull() || id.asText().isEmpty()) {
            document.put("api_id", UUID.randomUUID().toString().replace("-", ""));
        } else if (!isSafePathComponent(id.asText())) {
            throw new InvalidDocumentException(TykMessages.INVALID_API_ID);
        }
        return validated(document);
    }

    /**
     * Reads the body of {@code PUT /tyk/apis/{apiId}}: its {@code api_id} must be the one in the
     * path.
     *
     * @throws InvalidDocumentException with Tyk's message
     */
    public static ApiDocument readUpdate(String apiId, String body) {
        ObjectNode document = JsonDocuments.readObject(body);
        JsonNode id = document.get("api_id");
        if (id == null || !apiId.equals(id.asText())) {
            throw new InvalidDocumentException(
                    "Request APIID does not match that in Definition! For Update operations these must match.");
        }
        return validated(document);
    }

    private static ApiDocument validated(ObjectNode document) {
        ApiDefinition definition;
        try {
            definition = ApiDefinition.of(document);
        } catch (IllegalArgumentException e) {
            throw new InvalidDocumentException(TykMessages.REQUEST_MALFORMED);
        }
        validate(definition);
        return new ApiDocument(document, definition);
    }

    /** An id that names one file or path segment, even after up to three URL decodings. */
    public static boolean isSafePathComponent(String id) {
        if (id.length() > MAX_ID_LENGTH || id.isBlank()) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            // ids travel in paths, file names and event keys: printable ASCII without separators
            if (c <= 0x20 || c >= 0x7f || c == '?' || c == '#' || c == ';') {
                return false;
            }
        }
        String value = id;
        for (int round = 0; round <= 3; round++) {
            if (value.isEmpty()
                    || value.contains("/")
                    || value.contains("\\")
                    || value.equals(".")
                    || value.equals("..")) {
                return false;
            }
            String decoded;
            try {
                decoded = URLDecoder.decode(value, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            if (decoded.equals(value)) {
                return true;
            }
            value = decoded;
        }
        return false;
    }

    private static void validate(ApiDefinition definition) {
        ApiDefinition.Proxy proxy = definition.proxy();
        if (proxy == null || proxy.listenPath() == null || proxy.listenPath().isBlank()) {
            throw invalid("proxy.listen_path is required");
        }
        String listenPath = proxy.listenPath();
        if (listenPath.contains(" ")) {
            throw invalid("proxy.listen_path must not contain spaces");
        }
        if (!listenPath.startsWith("/")) {
            throw invalid("proxy.listen_path must start with /");
        }
        try {
            if (!gatehouse.contracts.http.RequestPaths.canonical(listenPath).equals(listenPath)) {
                throw invalid(
                        "proxy.listen_path must be a canonical path (no dot-segments, repeated slashes or "
                                + "encoded unreserved characters), as requests are routed on canonical paths");
            }
        } catch (gatehouse.contracts.http.RequestPaths.RefusedPathException e) {
            throw invalid(
                    "proxy.listen_path is not a path any request can reach: " + e.getMessage());
        }
        for (String reserved : RESERVED) {
            if (listenPath.equals(reserved)
                    || listenPath.equals(reserved + "/")
                    || (reserved.equals("/tyk") && listenPath.startsWith("/tyk/"))) {
                throw invalid(
                        "proxy.listen_path "
                                + listenPath
                                + " is taken by the gateway's own "
                                + reserved
                                + " endpoint");
            }
        }
        if (proxy.targetUrl() == null || proxy.targetUrl().isBlank()) {
            throw invalid("proxy.target_url is required");
        }
        if (definition.enableIpWhitelisting()) {
            validateRanges(definition.allowedIps());
        }
        if (definition.enableIpBlacklisting()) {
            validateRanges(definition.blacklistedIps());
        }
        if (proxy.enableLoadBalancing() && proxy.targetList() != null) {
            proxy.targetList().forEach(ApiDefinitionRules::validateTarget);
        }
        validateTarget(proxy.targetUrl());
    }

    private static void validateRanges(java.util.List<String> ranges) {
        if (ranges == null) {
            return;
        }
        for (String range : ranges) {
            try {
                gatehouse.contracts.net.IpRange.parse(range);
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            }
        }
    }

    private static void validateTarget(String url) {
        try {
            URI target = new URI(url);
            String scheme = target.getScheme();
            if ("tyk".equals(scheme)) {
                // refused rather than stored and never routed: the gateway has no internal looping
                // yet
                throw invalid(
                        "proxy.target_url: internal tyk:// targets are not supported by Gatehouse yet");
            }
            if (scheme == null
                    || !(scheme.equals("http") || scheme.equals("https"))
                    || target.getHost() == null) {
                throw invalid("proxy.target_url must be an absolute http(s) URL");
            }
        } catch (URISyntaxException e) {
            throw invalid("proxy.target_url is not a valid URL");
        }
    }

    private static InvalidDocumentException invalid(String reason) {
        return new InvalidDocumentException(
                "Validation of API Definition failed. Reason: " + reason + ".");
    }
}
