package gatehouse.contracts.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secrets a session carries for the gateway to verify requests with ({@code hmac_string}, the
 * HMAC secret of signed requests, and {@code jwt_data.secret}, a per-key JWT secret), sealed with
 * AES-256-GCM under a key derived from the key digest secret, so a dump of keys-service's database
 * or of {@code gatehouse.keys} holds none of them in the clear. keys-service seals what it stores
 * and opens what {@code GET /tyk/keys/{key}} shows; a gateway opens one when a request needs it.
 */
public final class SessionSecrets {

    /** The prefix of a sealed value; a value without it is an old, unsealed one. */
    public static final String SEALED = "sealed:v1:";

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    /**
     * @param key 32 bytes
     */
    SessionSecrets(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("a session secrets key is 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /**
     * A copy of the session with its secrets sealed (those sealed already are left as they are).
     */
    public ObjectNode seal(ObjectNode session) {
        ObjectNode copy = session.deepCopy();
        sealField(copy, "hmac_string");
        if (copy.path("jwt_data") instanceof ObjectNode jwt) {
            sealField(jwt, "secret");
        }
        return copy;
    }

    /** A copy of the session with its secrets in the clear, as Tyk shows a key. */
    public ObjectNode open(ObjectNode session) {
        ObjectNode copy = session.deepCopy();
        openField(copy, "hmac_string");
        if (copy.path("jwt_data") instanceof ObjectNode jwt) {
            openField(jwt, "secret");
        }
        return copy;
    }

    /**
     * One value in the clear.
     *
     * @throws IllegalArgumentException when it was sealed under another key or altered
     */
    public String open(String value) {
        if (value == null || !value.startsWith(SEALED)) {
            return value;
        }
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(value.substring(SEALED.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a sealed session secret is not base64");
        }
        if (sealed.length <= IV_BYTES) {
            throw new IllegalArgumentException("a sealed session secret is truncated");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    key,
                    new GCMParameterSpec(TAG_BITS, Arrays.copyOf(sealed, IV_BYTES)));
            byte[] plain = cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "a sealed session secret does not open with this installation's key");
        }
    }

    /** One value sealed; empty and null values stay as they are. */
    public String seal(String value) {
        if (value == null || value.isEmpty() || value.startsWith(SEALED)) {
            return value;
        }
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] encrypted = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = Arrays.copyOf(iv, IV_BYTES + encrypted.length);
            System.arraycopy(encrypted, 0, sealed, IV_BYTES, encrypted.length);
            return SEALED + Base64.getEncoder().encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is required by the Java platform", e);
        }
    }

    private void sealField(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value != null && value.isTextual()) {
            node.put(field, seal(value.asText()));
        }
    }

    private void openField(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value != null && value.isTextual()) {
            node.put(field, open(value.asText()));
        }
    }

    @Override
    public String toString() {
        return "SessionSecrets[key redacted]";
    }
}
