package gatehouse.gateway.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.keys.KeyState;
import gatehouse.contracts.tyk.PolicyApplier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Objects;

/**
 * One key this node knows: its state as published, held packed ({@link PackedKeyState}), and while
 * the key is in use its decoded form and what was derived from it (the session with the policies in
 * force applied, a basic-auth password already verified). The decoded form is dropped when the key
 * leaves the {@link DecodedKeys} set, so a node's heap grows by the packed size per key, not by the
 * decoded session's.
 */
public final class HeldKey {

    /**
     * The applied session for one set of policies and API org, or why the policies could not apply.
     */
    private record Applied(
            Map<String, ObjectNode> policies, String apiOrg, KeySession session, String error) {}

    private final String digest;
    private final long version;
    private final byte[] packed;
    private final DecodedKeys decodedKeys;
    private volatile KeyState state;
    private volatile Applied applied;
    private volatile byte[] verifiedPassword;

    /**
     * @param packed the state, packed
     * @param state the same state decoded, or null to decode it when the key is first used
     */
    HeldKey(String digest, long version, byte[] packed, KeyState state, DecodedKeys decodedKeys) {
        this.digest = digest;
        this.version = version;
        this.packed = packed;
        this.decodedKeys = decodedKeys;
        if (state != null) {
            this.state = state;
            decodedKeys.admit(this);
        }
    }

    public String digest() {
        return digest;
    }

    public long version() {
        return version;
    }

    /** The state as published, decoded (and kept decoded for a while) when not at hand. */
    public KeyState state() {
        KeyState current = state;
        if (current == null) {
            current = PackedKeyState.read(packed);
            state = current;
            decodedKeys.admit(this);
        }
        return current;
    }

    /** The packed state, as the local snapshot stores it. */
    byte[] packed() {
        return packed;
    }

    /** True while the decoded state is held. */
    boolean isDecoded() {
        return state != null;
    }

    /** Drops the decoded forms; the next use decodes the packed state again. */
    void forgetDecoded() {
        state = null;
        applied = null;
    }

    /**
     * The session with the current policies applied in the API's org; recomputed only when the
     * policies change (the holder publishes a new map on every change).
     *
     * @return the session, or null when its policies cannot apply (the key is then refused)
     */
    public KeySession session(Map<String, ObjectNode> policies, String apiOrg) {
        Applied current = applied;
        if (current == null
                || current.policies() != policies
                || !Objects.equals(current.apiOrg(), apiOrg)) {
            try {
                ObjectNode session =
                        PolicyApplier.apply(
                                state().session(),
                                policies::get,
                                apiOrg == null || apiOrg.isEmpty() ? null : apiOrg);
                current = new Applied(policies, apiOrg, KeySession.of(session), null);
            } catch (PolicyApplier.PolicyException | IllegalArgumentException e) {
                if (awaitsPolicies(policies)) {
                    // not kept: once the grace period is over the key is refused if it still has
                    // none
                    return KeySession.of(state().session());
                }
                current = new Applied(policies, apiOrg, null, e.getMessage());
            }
            applied = current;
        }
        return current.session();
    }

    /** How long a key written a moment ago may name a policy this node has not received yet. */
    private static final long POLICY_GRACE_SECONDS = 10;

    /**
     * True when the key was written within the grace period and names a policy this node has not
     * received yet (its event is still in flight, ADR 0008): its owner applied that policy when it
     * stored the key, so the stored session is served until the policy arrives. After the grace
     * period a missing policy refuses the key, as on Tyk.
     */
    private boolean awaitsPolicies(Map<String, ObjectNode> policies) {
        JsonNode session = state().session();
        long written = session.path("last_updated").asLong(0);
        if (written <= 0 || System.currentTimeMillis() / 1000 - written > POLICY_GRACE_SECONDS) {
            return false;
        }
        boolean missing = false;
        for (var id : session.path("apply_policies")) {
            missing |= !policies.containsKey(id.asText());
        }
        return missing;
    }

    /**
     * The stored basic-auth password hash and its type, or null when the key is no basic-auth user.
     */
    public String passwordHash() {
        String password = state().session().path("basic_auth_data").path("password").asText("");
        return password.isEmpty() ? null : password;
    }

    public String passwordHashType() {
        return state().session().path("basic_auth_data").path("hash_type").asText("");
    }

    /**
     * True when this password was verified against the stored hash before (a SHA-256 comparison,
     * constant-time).
     */
    public boolean alreadyVerified(String password) {
        byte[] verified = verifiedPassword;
        return verified != null && MessageDigest.isEqual(verified, sha256(password));
    }

    /** Remembers a password that passed the (slow) hash check. */
    public void verified(String password) {
        verifiedPassword = sha256(password);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
