package gatehouse.contracts.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * What {@link AuditVerifier} found.
 *
 * @param entries records read
 * @param duplicates records that repeat an entry already read (a publication retried after a crash;
 *     harmless)
 * @param owners per chain ({@code owner/chain id}): the last sequence number and hash in the log,
 *     and the latest valid checkpoint's sequence number (0 when none)
 * @param problems what is wrong, in log order (at most {@link AuditVerifier#MAX_PROBLEMS})
 * @param checkpointsChecked how many checkpoints were checked
 * @param checkpointsUnavailable owners whose checkpoints could not be read (the chain is still
 *     checked)
 */
public record AuditVerification(
        long entries,
        long duplicates,
        Map<String, Owner> owners,
        List<Problem> problems,
        int checkpointsChecked,
        List<String> checkpointsUnavailable) {

    /** One owner's chain as the log has it. */
    public record Owner(long lastSeq, String lastHash, long checkpointedSeq) {}

    /**
     * One broken link.
     *
     * @param kind {@code unreadable}, {@code edited}, {@code gap}, {@code out-of-order}, {@code
     *     conflict}, {@code broken-link}, {@code truncated}, {@code checkpoint-mismatch}, {@code
     *     forged-checkpoint}
     * @param position the record's {@code partition/offset}, or null for a checkpoint problem
     */
    public record Problem(String kind, String owner, long seq, String position, String message) {

        public ObjectNode toJson() {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("kind", kind);
            node.put("owner", owner);
            node.put("seq", seq);
            node.put("position", position);
            node.put("message", message);
            return node;
        }
    }

    /** True when no link is broken. */
    public boolean intact() {
        return problems.isEmpty();
    }

    /** The first broken link, or null. */
    public Problem firstBroken() {
        return problems.isEmpty() ? null : problems.get(0);
    }

    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("status", intact() ? "intact" : "broken");
        node.put("entries", entries);
        node.put("duplicates", duplicates);
        ObjectNode ownersNode = node.putObject("owners");
        owners.forEach(
                (name, owner) -> {
                    ObjectNode o = ownersNode.putObject(name);
                    o.put("last_seq", owner.lastSeq());
                    o.put("last_hash", owner.lastHash());
                    o.put("checkpointed_seq", owner.checkpointedSeq());
                });
        node.put("checkpoints_checked", checkpointsChecked);
        var unavailable = node.putArray("checkpoints_unavailable");
        checkpointsUnavailable.forEach(unavailable::add);
        if (!intact()) {
            node.set("first_broken", firstBroken().toJson());
        }
        var list = node.putArray("problems");
        problems.forEach(problem -> list.add(problem.toJson()));
        return node;
    }
}
