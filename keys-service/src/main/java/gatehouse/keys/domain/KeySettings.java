package gatehouse.keys.domain;

/**
 * The Tyk settings that shape key handling. Keys are always stored as digests, so Gatehouse behaves
 * as Tyk with {@code hash_keys: true}.
 *
 * @param hashKeyFunction Tyk's {@code hash_key_function}: the format of generated keys and of
 *     {@code key_hash}; empty for legacy {@code <org><uuid>} keys
 * @param enableHashedKeysListing Tyk's {@code enable_hashed_keys_listing}
 * @param allowMasterKeys Tyk's {@code allow_master_keys}: keys without access rights allowed
 * @param minTokenLength Tyk's {@code min_token_length} (0 = Tyk's floor of 3)
 * @param basicAuthHashKeyFunction Tyk's {@code basic_auth_hash_key_function} (bcrypt by default)
 */
public record KeySettings(
        String hashKeyFunction,
        boolean enableHashedKeysListing,
        boolean allowMasterKeys,
        int minTokenLength,
        String basicAuthHashKeyFunction) {

    /** Tyk's floor when {@code min_token_length} is not set. */
    public static final int DEFAULT_MIN_TOKEN_LENGTH = 3;

    public int effectiveMinTokenLength() {
        return minTokenLength > 0 ? minTokenLength : DEFAULT_MIN_TOKEN_LENGTH;
    }
}
