package gatehouse.gateway.hmac;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A request's {@code Signature} header read and checked as Tyk does (draft-cavage HTTP signatures):
 * {@code keyId}, {@code algorithm}, {@code headers} and {@code signature}, the signing string from
 * the named headers ({@code date} by default; {@code x-aux-date} preferred over {@code Date}), and
 * the URL-escaped base64 HMAC compared in constant time.
 */
public final class HmacSignature {

    /** Tyk's one text for every failure of a signed request (400). */
    public static final String INVALID = "Authorization field missing, malformed or invalid";

    private static final Pattern LOWER_ESCAPE = Pattern.compile("%[a-f0-9][a-f0-9]");
    private static final DateTimeFormatter RFC_1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss zzz", Locale.ENGLISH);
    private static final DateTimeFormatter NUMERIC_ZONE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss X", Locale.ENGLISH);

    /**
     * The fields of a signature header.
     *
     * @param keyId the key that signed
     * @param algorithm {@code hmac-sha1} (also the default), {@code hmac-sha256}, {@code
     *     hmac-sha384}, {@code hmac-sha512}, or {@code rsa-sha256}
     * @param headers the signed headers, in order
     * @param signature the signature as sent
     */
    public record Fields(String keyId, String algorithm, List<String> headers, String signature) {}

    private HmacSignature() {}

    /**
     * Reads the header value: an optional {@code Signature} prefix, then {@code name="value"} pairs
     * separated by commas.
     *
     * @return the fields, or null when the header is malformed or names an unknown field
     */
    public static Fields parse(String header) {
        String value = header.trim();
        if (value.startsWith("Signature")) {
            value = value.substring("Signature".length());
        } else if (value.startsWith("signature")) {
            value = value.substring("signature".length());
        }
        String keyId = "";
        String algorithm = "";
        List<String> headers = new ArrayList<>();
        String signature = "";
        int at = 0;
        String text = value.trim();
        while (at < text.length()) {
            int equals = text.indexOf('=', at);
            if (equals < 0) {
                return null;
            }
            String name = text.substring(at, equals).trim();
            int start = equals + 1;
            String field;
            int next;
            if (start < text.length() && text.charAt(start) == '"') {
                int close = text.indexOf('"', start + 1);
                if (close < 0) {
                    return null;
                }
                field = text.substring(start + 1, close);
                next = close + 1;
            } else {
                int comma = text.indexOf(',', start);
                next = comma < 0 ? text.length() : comma;
                field = text.substring(start, next).trim();
            }
            switch (name.toLowerCase(Locale.ROOT)) {
                case "keyid" -> keyId = field;
                case "algorithm" -> algorithm = field;
                case "headers" -> headers = new ArrayList<>(List.of(field.split(" ")));
                case "signature" -> signature = field;
                default -> {
                    return null;
                }
            }
            while (next < text.length() && text.charAt(next) == ' ') {
                next++;
            }
            if (next < text.length()) {
                if (text.charAt(next) != ',') {
                    return null;
                }
                next++;
            }
            at = next;
        }
        if (headers.isEmpty()) {
            headers.add("date"); // the least a request signs
        }
        return new Fields(keyId, algorithm, List.copyOf(headers), signature);
    }

    /**
     * The string that was signed.
     *
     * @param header a request header by lower-case name, or null
     * @param path the request's path
     */
    public static String signingString(
            Fields fields, String method, String path, UnaryOperator<String> header) {
        StringBuilder signed = new StringBuilder();
        List<String> names = fields.headers();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).trim().toLowerCase(Locale.ROOT);
            if (name.equals("(request-target)")) {
                signed.append("(request-target): ")
                        .append(method.toLowerCase(Locale.ROOT))
                        .append(' ')
                        .append(path);
            } else {
                String value = header.apply(name);
                if (name.equals("date")) {
                    String aux = header.apply("x-aux-date");
                    if (aux != null && !aux.isEmpty()) {
                        name = "x-aux-date";
                        value = aux;
                    } else if (value == null || value.isEmpty()) {
                        name = "";
                    }
                }
                signed.append(name.trim()).append(": ").append(value == null ? "" : value.trim());
            }
            if (i != names.size() - 1) {
                signed.append('\n');
            }
        }
        return signed.toString();
    }

    /** True when the signature is the HMAC of the signing string under the secret. */
    public static boolean matches(Fields fields, String signingString, String secret) {
        if (secret == null || secret.isEmpty()) {
            return false;
        }
        String algorithm =
                switch (fields.algorithm()) {
                    case "hmac-sha256" -> "HmacSHA256";
                    case "hmac-sha384" -> "HmacSHA384";
                    case "hmac-sha512" -> "HmacSHA512";
                    default -> "HmacSHA1";
                };
        String expected;
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            expected =
                    URLEncoder.encode(
                            Base64.getEncoder()
                                    .encodeToString(
                                            mac.doFinal(
                                                    signingString.getBytes(
                                                            StandardCharsets.UTF_8))),
                            StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            return false;
        }
        if (equal(expected, fields.signature())) {
            return true;
        }
        // .NET clients escape in lower case: Tyk upper-cases those escapes and compares again
        Matcher lower = LOWER_ESCAPE.matcher(fields.signature());
        if (!lower.find()) {
            return false;
        }
        return equal(expected, lower.replaceAll(match -> match.group().toUpperCase(Locale.ROOT)));
    }

    /**
     * True when the signature is the base64 RSA PKCS#1 v1.5 SHA-256 signature of the signing string
     * ({@code rsa-sha256}; Tyk verifies every {@code rsa-*} so), a URL-escaped one included.
     */
    public static boolean matchesRsa(
            Fields fields, String signingString, java.security.PublicKey key) {
        if (!(key instanceof java.security.interfaces.RSAPublicKey)) {
            return false;
        }
        for (String candidate :
                List.of(
                        fields.signature(),
                        java.net.URLDecoder.decode(fields.signature(), StandardCharsets.UTF_8))) {
            byte[] signature;
            try {
                signature = Base64.getDecoder().decode(candidate);
            } catch (IllegalArgumentException e) {
                continue;
            }
            try {
                var verifier = java.security.Signature.getInstance("SHA256withRSA");
                verifier.initVerify(key);
                verifier.update(signingString.getBytes(StandardCharsets.UTF_8));
                if (verifier.verify(signature)) {
                    return true;
                }
            } catch (GeneralSecurityException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * Tyk's clock check: the date ({@code x-aux-date}, else {@code Date}) must parse as RFC 1123
     * (or with a numeric zone), and be within the skew when one is set.
     */
    public static boolean withinSkew(String date, double skewMillis, long nowMillis) {
        if (date == null || date.isEmpty()) {
            return false;
        }
        long at;
        try {
            at = ZonedDateTime.parse(date, RFC_1123).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                at = ZonedDateTime.parse(date, NUMERIC_ZONE).toInstant().toEpochMilli();
            } catch (DateTimeParseException again) {
                return false;
            }
        }
        return skewMillis <= 0 || Math.abs(nowMillis - at) <= skewMillis;
    }

    private static boolean equal(String expected, String sent) {
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
    }
}
