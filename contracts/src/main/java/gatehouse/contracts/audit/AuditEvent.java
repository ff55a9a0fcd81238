package gatehouse.contracts.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One entry of the audit log ({@code gatehouse.audit}): a committed change or a refused attempt,
 * linked to the entry before it from the same owner.
 *
 * @param owner the service that recorded it, e.g. {@code admin-service}
 * @param chain the id of the owner's chain (made with its database: an owner installed afresh
 *     starts a new chain, never a second one under the same id)
 * @param seq the owner's sequence number, from 1, without gaps
 * @param prev the previous entry's {@link #hash} from this owner ({@link AuditChain#GENESIS} for
 *     the first)
 * @param time when the change was committed
 * @param outcome {@link #COMMITTED} or {@link #REFUSED}
 * @param action {@code create}, {@code update} or {@code delete}; for a refused attempt the HTTP
 *     method
 * @param resourceType {@code api}, {@code policy}, {@code key}, {@code org_key}, {@code
 *     oauth_client}; {@code request} for a refused attempt
 * @param resourceId the resource's id (a key's digest, never the key)
 * @param version the resource's version after the change; 0 for a refused attempt
 * @param actor who: {@code admin-secret}, or the identity a trusted ingress vouched for
 * @param authMethod how the actor was authenticated
 * @param address the client's address, read through the trusted proxy chain
 * @param requestId the request's id
 * @param status the HTTP status of a refused attempt, else 0
 * @param path the path of a refused attempt (secrets in it redacted), else null
 * @param suppressed refused attempts not recorded since the last recorded one (rate bound)
 * @param diff the fields that changed: {@code [{"path", "before", "after"}]}, secrets redacted
 * @param after the resource as it is after the change, secrets redacted; null after a delete
 * @param hash SHA-256 of this entry's canonical form without {@code hash}
 */
public record AuditEvent(
        String owner,
        String chain,
        long seq,
        String prev,
        Instant time,
        String outcome,
        String action,
        String resourceType,
        String resourceId,
        long version,
        String actor,
        String authMethod,
        String address,
        String requestId,
        int status,
        String path,
        long suppressed,
        JsonNode diff,
        JsonNode after,
        String hash) {

    public static final String COMMITTED = "committed";
    public static final String REFUSED = "refused";

    /** This entry as JSON; without {@code hash} when {@code withHash} is false. */
    public ObjectNode toJson(boolean withHash) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("owner", owner);
        node.put("chain", chain);
        node.put("seq", seq);
        node.put("prev", prev);
        node.put("time", time.toString());
        node.put("outcome", outcome);
        node.put("action", action);
        node.put("resource_type", resourceType);
        node.put("resource_id", resourceId);
        node.put("version", version);
        node.put("actor", actor);
        node.put("auth_method", authMethod);
        node.put("address", address);
        node.put("request_id", requestId);
        node.put("status", status);
        node.put("path", path);
        node.put("suppressed", suppressed);
        node.set("diff", diff == null ? JsonNodeFactory.instance.arrayNode() : diff);
        node.set("after", after == null ? JsonNodeFactory.instance.nullNode() : after);
        if (withHash) {
            node.put("hash", hash);
        }
        return node;
    }

    /** This entry with its hash computed from its content. */
    public AuditEvent sealed() {
        return withHash(AuditChain.hash(toJson(false)));
    }

    AuditEvent withHash(String newHash) {
        return new AuditEvent(
                owner,
                chain,
                seq,
                prev,
                time,
                outcome,
                action,
                resourceType,
                resourceId,
                version,
                actor,
                authMethod,
                address,
                requestId,
                status,
                path,
                suppressed,
                diff,
                after,
                newHash);
    }

    /** True when the entry's hash matches its content. */
    public boolean hashMatches() {
        return hash != null && hash.equals(AuditChain.hash(toJson(false)));
    }

    /** The chain this entry belongs to: {@code owner/chain}. */
    public String chainName() {
        return owner + "/" + chain;
    }

    /** True for a committed change (not a refused attempt). */
    public boolean isChange() {
        return COMMITTED.equals(outcome);
    }

    /**
     * Reads an entry.
     *
     * @throws IllegalArgumentException when a field is missing or unreadable
     */
    public static AuditEvent fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("an audit entry must be a JSON object");
        }
        try {
            JsonNode after = node.get("after");
            return new AuditEvent(
                    text(node, "owner", true),
                    text(node, "chain", true),
                    number(node, "seq"),
                    text(node, "prev", true),
                    Instant.parse(text(node, "time", true)),
                    text(node, "outcome", true),
                    text(node, "action", true),
                    text(node, "resource_type", true),
                    text(node, "resource_id", false),
                    number(node, "version"),
                    text(node, "actor", false),
                    text(node, "auth_method", false),
                    text(node, "address", false),
                    text(node, "request_id", false),
                    (int) number(node, "status"),
                    text(node, "path", false),
                    number(node, "suppressed"),
                    node.get("diff"),
                    after == null || after.isNull() ? null : after,
                    text(node, "hash", true));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("unreadable audit time: " + e.getParsedString());
        }
    }

    private static String text(JsonNode node, String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new IllegalArgumentException("audit entry without " + field);
            }
            return null;
        }
        return value.asText();
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToLong()) {
            throw new IllegalArgumentException("audit entry without a numeric " + field);
        }
        return value.asLong();
    }
}
