package gatehouse.contracts.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * An owner's signed statement that its audit chain had reached {@code seq} with {@code hash} at
 * {@code time}; kept outside Kafka (in the owner's database), so a log cut short before it, or
 * rewritten under it, is detected.
 *
 * @param owner the service
 * @param chain the owner's chain id
 * @param seq the last sequence number the owner had recorded
 * @param hash that entry's hash
 * @param time when the checkpoint was signed
 * @param signature Ed25519 over {@link #signedContent()}, base64
 */
public record AuditCheckpoint(
        String owner, String chain, long seq, String hash, Instant time, String signature) {

    /** The bytes the signature covers: the canonical JSON of everything but the signature. */
    public byte[] signedContent() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("owner", owner);
        node.put("chain", chain);
        node.put("seq", seq);
        node.put("hash", hash);
        node.put("time", time.toString());
        return AuditChain.canonical(node);
    }

    /** The chain it vouches for: {@code owner/chain}. */
    public String chainName() {
        return owner + "/" + chain;
    }

    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("owner", owner);
        node.put("chain", chain);
        node.put("seq", seq);
        node.put("hash", hash);
        node.put("time", time.toString());
        node.put("signature", signature);
        return node;
    }

    /**
     * Reads a checkpoint.
     *
     * @throws IllegalArgumentException when a field is missing
     */
    public static AuditCheckpoint fromJson(JsonNode node) {
        for (String field : new String[] {"owner", "chain", "seq", "hash", "time", "signature"}) {
            if (node == null || !node.hasNonNull(field)) {
                throw new IllegalArgumentException("checkpoint without " + field);
            }
        }
        return new AuditCheckpoint(
                node.get("owner").asText(),
                node.get("chain").asText(),
                node.get("seq").asLong(),
                node.get("hash").asText(),
                Instant.parse(node.get("time").asText()),
                node.get("signature").asText());
    }
}
