package gatehouse.contracts.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one reading of a request path that routing, path rules, forwarding and the control API share
 * (ADR 0007). A raw path is either refused, or turned into its canonical form:
 *
 * <ul>
 *   <li>refused: not starting with {@code /}; raw spaces, control characters, non-ASCII, {@code \}
 *       or {@code #}; malformed percent-encoding or invalid UTF-8 in it; an encoded {@code /},
 *       {@code \}, control character or {@code %} followed by hex digits (double encoding); a
 *       {@code ..} that climbs above the root; an empty or dot-segment carrying parameters ({@code
 *       ..;x} or {@code /;x}, which servers that drop parameters read as {@code ..} or an empty
 *       segment);
 *   <li>canonical: percent-encoded unreserved characters decoded ({@code %61} is {@code a}, {@code
 *       %2e} is {@code .}), other escapes kept with upper-case hex, repeated slashes merged,
 *       dot-segments resolved (RFC 3986 §5.2.4). Case is kept: listen paths match case-sensitively,
 *       as on Tyk.
 * </ul>
 *
 * Every consumer acts on the same canonical string, so what is routed and checked is exactly what
 * the upstream receives.
 */
public final class RequestPaths {

    /** A path that has no canonical form; the message says why (for a 400). */
    public static final class RefusedPathException extends RuntimeException {
        RefusedPathException(String message) {
            super(message, null, false, false);
        }
    }

    private RequestPaths() {}

    /**
     * The canonical form of a raw request path (no query).
     *
     * @throws RefusedPathException when the path has none
     */
    public static String canonical(String raw) {
        if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') {
            throw refused("the request path must start with /");
        }
        boolean plain = true;
        char previous = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw refused(
                        "the request path holds a space, a control or a non-ASCII character; percent-encode it");
            }
            if (c == '\\' || c == '#') {
                throw refused("the request path holds a raw '" + c + "'");
            }
            if (c == '%'
                    || c == ';'
                    || (c == '.' && previous == '/')
                    || (c == '/' && previous == '/')) {
                plain = false;
            }
            previous = c;
        }
        // the common case: nothing to decode, merge or resolve, and no allocation
        return plain ? raw : resolve(decode(raw));
    }

    /**
     * Why a control path is refused, or null when it may be served. Control paths are never
     * reinterpreted: a path that is not already canonical (trailing slashes aside, which Tyk
     * strips) is a 400, so {@code /tyk/policies/../apis/x} or {@code /tyk/apis/%2F} cannot reach
     * another endpoint than the one an ingress rule or a log line shows.
     */
    public static String controlPathRefusal(String raw) {
        int end = raw == null ? 0 : raw.length();
        while (end > 1 && raw.charAt(end - 1) == '/') {
            end--;
        }
        String trimmed = raw == null ? null : raw.substring(0, end);
        if (trimmed != null && trimmed.indexOf(';') >= 0) {
            // Tyk has no path parameters; JAX-RS would drop them and route /tyk/apis;x as /tyk/apis
            return "Control API paths must be canonical: no ';' parameters";
        }
        try {
            // escapes may come in either case (a client's %3d is our %3D); anything else must be as
            // sent
            return canonical(trimmed).equals(upperEscapes(trimmed))
                    ? null
                    : "Control API paths must be canonical: no dot-segments, repeated slashes or encoded characters";
        } catch (RefusedPathException e) {
            return "Control API paths must be canonical: " + e.getMessage();
        }
    }

    private static String upperEscapes(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        char[] chars = raw.toCharArray();
        for (int i = 0; i + 2 < chars.length; i++) {
            if (chars[i] == '%') {
                chars[i + 1] = Character.toUpperCase(chars[i + 1]);
                chars[i + 2] = Character.toUpperCase(chars[i + 2]);
            }
        }
        return new String(chars);
    }

    private static String decode(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            ByteBuffer high = null;
            // a run of escapes: unreserved ones are decoded, the rest kept; non-ASCII bytes must be
            // UTF-8
            while (i < raw.length() && raw.charAt(i) == '%') {
                int b = hexByte(raw, i);
                i += 3;
                if (b >= 0x80) {
                    if (high == null) {
                        high = ByteBuffer.allocate(raw.length());
                    }
                    high.put((byte) b);
                    out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
                    continue;
                }
                checkUtf8(high);
                high = null;
                if (b == '/' || b == '\\') {
                    throw refused("the request path holds an encoded '" + (char) b + "'");
                }
                if (b < 0x20 || b == 0x7f) {
                    throw refused("the request path holds an encoded control character");
                }
                if (b == '%'
                        && i + 1 < raw.length()
                        && isHex(raw.charAt(i))
                        && isHex(raw.charAt(i + 1))) {
                    throw refused("the request path is percent-encoded twice");
                }
                if (isUnreserved(b)) {
                    out.append((char) b);
                } else {
                    out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
                }
            }
            checkUtf8(high);
        }
        return out.toString();
    }

    private static String resolve(String decoded) {
        String[] segments = decoded.substring(1).split("/", -1);
        String[] kept = new String[segments.length];
        int depth = 0;
        boolean trailingSlash = false;
        for (int s = 0; s < segments.length; s++) {
            String segment = segments[s];
            boolean last = s == segments.length - 1;
            int semicolon = segment.indexOf(';');
            String bare = semicolon < 0 ? segment : segment.substring(0, semicolon);
            if (semicolon >= 0 && (bare.isEmpty() || bare.equals(".") || bare.equals(".."))) {
                // servers that drop ;parameters would read these as an empty or a dot-segment
                throw refused("the request path holds parameters on an empty or a dot-segment");
            }
            if (segment.equals("..")) {
                if (depth == 0) {
                    throw refused("the request path climbs above the root");
                }
                depth--;
                trailingSlash = last;
            } else if (segment.equals(".")) {
                trailingSlash = last;
            } else if (segment.isEmpty()) {
                trailingSlash = last;
            } else {
                kept[depth++] = segment;
                trailingSlash = false;
            }
        }
        StringBuilder out = new StringBuilder(decoded.length());
        for (int s = 0; s < depth; s++) {
            out.append('/').append(kept[s]);
        }
        if (trailingSlash || depth == 0) {
            out.append('/');
        }
        return out.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static int hexByte(String raw, int at) {
        if (at + 2 >= raw.length()) {
            throw refused("the request path holds a truncated percent-encoding");
        }
        char a = raw.charAt(at + 1);
        char b = raw.charAt(at + 2);
        if (!isHex(a) || !isHex(b)) {
            throw refused("the request path holds a malformed percent-encoding");
        }
        return Character.digit(a, 16) << 4 | Character.digit(b, 16);
    }

    private static void checkUtf8(ByteBuffer bytes) {
        if (bytes == null) {
            return;
        }
        bytes.flip();
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
        } catch (CharacterCodingException e) {
            throw refused("the request path holds percent-encoded bytes that are not UTF-8");
        }
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isUnreserved(int b) {
        return (b >= 'a' && b <= 'z')
                || (b >= 'A' && b <= 'Z')
                || (b >= '0' && b <= '9')
                || b == '-'
                || b == '.'
                || b == '_'
                || b == '~';
    }

    private static RefusedPathException refused(String message) {
        return new RefusedPathException(message);
    }
}
