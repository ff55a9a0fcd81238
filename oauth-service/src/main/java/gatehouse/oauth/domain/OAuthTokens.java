package gatehouse.oauth.domain;

import gatehouse.contracts.keys.TykKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/** The formats of what Tyk's OAuth issues (COMPAT §9). */
public final class OAuthTokens {

    private OAuthTokens() {}

    /** An access token: a Tyk key of the session's org. */
    public static String accessToken(String orgId, String hashKeyFunction) {
        return TykKeys.generate(orgId, "", hashKeyFunction);
    }

    /** A refresh token: standard base64 of a dashed UUID. */
    public static String refreshToken() {
        return Base64.getEncoder()
                .encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An authorisation code: URL-safe base64 of a random UUID's bytes, no padding (osin's default).
     */
    public static String code() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes =
                ByteBuffer.allocate(16)
                        .putLong(uuid.getMostSignificantBits())
                        .putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /** A generated client id: a UUID in hex without dashes. */
    public static String clientId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** A generated client secret: standard base64 of a dashed UUID (48 characters). */
    public static String clientSecret() {
        return refreshToken();
    }
}
