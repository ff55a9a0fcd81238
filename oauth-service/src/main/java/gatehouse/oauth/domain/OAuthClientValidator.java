package gatehouse.oauth.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.tyk.TykJson;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules an OAuth client document ({@code POST /tyk/oauth/clients/create}, {@code PUT
 * /tyk/oauth/clients/{api}/{client}}) must meet before it is stored. Tyk decodes it into a struct
 * of strings and a {@code meta_data} map, so other JSON types are {@link Kind#MALFORMED}. Beyond
 * that, what would make the client dangerous is {@link Kind#INVALID}: a redirect URI that is not an
 * absolute http or https URI (each one, when {@code oauth_redirect_uri_separator} allows several),
 * a custom secret shorter than {@value #MIN_SECRET_LENGTH} characters, a client id that cannot be
 * addressed or stored. An empty or absent {@code redirect_uri} is kept, as on Tyk: such a client
 * can never be authorised.
 */
public final class OAuthClientValidator {

    /** The shortest custom client secret accepted. */
    public static final int MIN_SECRET_LENGTH = 16;

    /** The longest custom client id accepted. */
    public static final int MAX_CLIENT_ID_LENGTH = 256;

    /**
     * The largest client document, in bytes of JSON: its {@code meta_data} is copied into every
     * token's session, and each token is one event on {@code gatehouse.oauth-tokens}.
     */
    public static final int MAX_DOCUMENT_BYTES = 64 * 1024;

    private static final String[] STRINGS = {
        "client_id", "redirect_uri", "api_id", "policy_id", "secret", "description"
    };

    /** Why a document is refused. */
    public enum Kind {
        /** Go's decoder would refuse it: Tyk answers with its unmarshal text. */
        MALFORMED,
        /** It decodes, but its values are refused. */
        INVALID
    }

    /** A refused client document; the message says what is wrong. */
    public static final class InvalidClient extends RuntimeException {
        private final Kind kind;

        public InvalidClient(Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    private OAuthClientValidator() {}

    /**
     * Checks a new client.
     *
     * @param separator Tyk's {@code oauth_redirect_uri_separator}, empty for one URI per client
     * @throws InvalidClient when it breaks a rule
     */
    public static void validateCreate(ObjectNode client, String separator) {
        validateTypes(client);
        String id = client.path("client_id").asText("");
        if (!id.isEmpty()) {
            validateClientId(id);
        }
        String secret = client.path("secret").asText("");
        if (!secret.isEmpty() && secret.length() < MIN_SECRET_LENGTH) {
            throw invalid(
                    "secret must be at least "
                            + MIN_SECRET_LENGTH
                            + " characters long (it has "
                            + secret.length()
                            + "); leave it out to have one generated");
        }
        validateRedirectUris(client.path("redirect_uri").asText(""), separator);
    }

    /**
     * Checks a client update ({@code client_id} and {@code secret} are not changed by one, so only
     * their types are checked).
     */
    public static void validateUpdate(ObjectNode client, String separator) {
        validateTypes(client);
        validateRedirectUris(client.path("redirect_uri").asText(""), separator);
    }

    /** Checks a custom client id. */
    public static void validateClientId(String id) {
        if (id.length() > MAX_CLIENT_ID_LENGTH) {
            throw invalid("client_id must be at most " + MAX_CLIENT_ID_LENGTH + " characters long");
        }
        if (hasControl(id)) {
            throw invalid("client_id must not contain control characters");
        }
        if (id.indexOf('/') >= 0) {
            throw invalid("client_id must not contain '/'");
        }
    }

    /**
     * Checks a client's {@code redirect_uri}: empty, or one or more absolute http/https URIs.
     *
     * @param separator Tyk's {@code oauth_redirect_uri_separator}; empty for a single URI
     */
    public static void validateRedirectUris(String value, String separator) {
        if (value == null || value.isEmpty()) {
            return;
        }
        List<String> uris =
                separator == null || separator.isEmpty()
                        ? List.of(value)
                        : List.of(value.split(Pattern.quote(separator), -1));
        for (String uri : uris) {
            validateRedirectUri(uri);
        }
    }

    private static void validateRedirectUri(String uri) {
        String shown = shorten(uri);
        if (uri.isEmpty()) {
            throw invalid("redirect_uri holds an empty URI");
        }
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (isControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw invalid(
                        "redirect_uri "
                                + shown
                                + " must not contain whitespace or control characters");
            }
        }
        int colon = uri.indexOf(':');
        String scheme = colon < 0 ? "" : uri.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid("redirect_uri " + shown + " must be an absolute http or https URI");
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw invalid("redirect_uri " + shown + " is not a valid URI");
        }
        if (parsed.getRawUserInfo() != null
                || parsed.getRawAuthority() != null && parsed.getRawAuthority().contains("@")) {
            throw invalid("redirect_uri " + shown + " must not carry user information");
        }
        if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
            throw invalid("redirect_uri " + shown + " must name a host");
        }
        if (parsed.getRawFragment() != null) {
            throw invalid("redirect_uri " + shown + " must not carry a fragment");
        }
    }

    private static void validateTypes(ObjectNode client) {
        if (client == null) {
            throw new InvalidClient(Kind.MALFORMED, "the body must be a JSON object");
        }
        for (String field : STRINGS) {
            JsonNode value = client.get(field);
            if (value != null && !value.isNull() && !value.isTextual()) {
                throw new InvalidClient(Kind.MALFORMED, field + " must be a JSON string");
            }
        }
        JsonNode meta = client.get("meta_data");
        if (meta != null && !meta.isNull() && !meta.isObject()) {
            throw new InvalidClient(Kind.MALFORMED, "meta_data must be a JSON object");
        }
        int size;
        try {
            size = TykJson.MAPPER.writeValueAsBytes(client).length;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidClient(Kind.MALFORMED, "the body cannot be written as JSON");
        }
        if (size > MAX_DOCUMENT_BYTES) {
            throw invalid(
                    "the client is "
                            + size
                            + " bytes of JSON; at most "
                            + MAX_DOCUMENT_BYTES
                            + " are accepted");
        }
    }

    private static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isControl(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0);
    }

    private static String shorten(String text) {
        String cut = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    private static InvalidClient invalid(String message) {
        return new InvalidClient(Kind.INVALID, message);
    }
}
