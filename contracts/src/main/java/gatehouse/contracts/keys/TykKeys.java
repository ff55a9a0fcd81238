package gatehouse.contracts.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import gatehouse.contracts.tyk.TykJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Tyk's key formats (COMPAT §2.1): the legacy {@code <org_id><32-hex>} form, and with a hash
 * function configured the standard base64 of {@code {"org":"…","id":"…","h":"…"}}.
 */
public final class TykKeys {

    private static final Pattern HEX24 = Pattern.compile("[0-9a-fA-F]{24}");

    private TykKeys() {}

    /**
     * Tyk's {@code generateToken}.
     *
     * @param orgId the key's organisation
     * @param keyId a custom id, or empty for a fresh UUID (hex, no dashes); a leading org id is
     *     stripped
     * @param hashFunction the configured {@code hash_key_function}, or empty for legacy keys
     */
    public static String generate(String orgId, String keyId, String hashFunction) {
        String org = orgId == null ? "" : orgId;
        String id = keyId == null ? "" : keyId;
        if (!org.isEmpty() && id.startsWith(org)) {
            id = id.substring(org.length());
        }
        if (id.isEmpty()) {
            id = UUID.randomUUID().toString().replace("-", "");
        }
        if (hashFunction == null || hashFunction.isEmpty()) {
            return org + id;
        }
        String algorithm = KeyHashAlgorithm.forName(hashFunction).tykName();
        String json =
                "{\"org\":"
                        + quote(org)
                        + ",\"id\":"
                        + quote(id)
                        + ",\"h\":"
                        + quote(algorithm)
                        + "}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Tyk's {@code TokenOrg}: the org a key names, or empty. */
    public static String orgOf(String token) {
        JsonNode embedded = embedded(token);
        if (embedded != null && embedded.hasNonNull("org")) {
            return embedded.get("org").asText();
        }
        if (token != null
                && token.length() > 24
                && HEX24.matcher(token.substring(0, 24)).matches()) {
            return token.substring(0, 24);
        }
        return "";
    }

    /** Tyk's {@code TokenHashAlgo}: the {@code h} of a base64 key, or empty for a legacy key. */
    public static String hashAlgorithmOf(String token) {
        JsonNode embedded = embedded(token);
        return embedded != null && embedded.hasNonNull("h") ? embedded.get("h").asText() : "";
    }

    /**
     * Tyk's {@code key_hash} of a key with hashing on: the algorithm named in the key, murmur32 for
     * legacy keys.
     */
    public static String keyHash(String token) {
        return KeyHashAlgorithm.forName(hashAlgorithmOf(token)).hash(token);
    }

    private static JsonNode embedded(String token) {
        if (token == null || !token.startsWith("ey")) {
            return null;
        }
        try {
            byte[] json = Base64.getDecoder().decode(token);
            JsonNode node = TykJson.MAPPER.readTree(json);
            return node != null && node.isObject() ? node : null;
        } catch (IllegalArgumentException | JsonProcessingException e) {
            return null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String quote(String value) {
        try {
            return TykJson.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
