package gatehouse.contracts.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks the audit log: every entry's hash matches its content, each owner's entries follow one
 * another ({@code seq} + 1, {@code prev} = the previous hash) in log order, and every signed
 * checkpoint matches the entry it names. An entry read twice with the same hash is a retried
 * publication, not tampering. After a broken link the check resynchronises on the entry found, so
 * later damage is reported too; the first problem is the first broken link.
 */
public final class AuditVerifier {

    /** Problems reported at most; the count of entries still covers the whole log. */
    public static final int MAX_PROBLEMS = 100;

    private AuditVerifier() {}

    /**
     * @param records the log in order (by partition, then offset)
     * @param checkpoints the owners' checkpoints, any order
     * @param publicKey the base64 Ed25519 public key checkpoints must be signed with
     * @param checkpointsUnavailable owners whose checkpoints could not be read
     */
    public static AuditVerification verify(
            Iterable<AuditRecord> records,
            List<AuditCheckpoint> checkpoints,
            String publicKey,
            List<String> checkpointsUnavailable) {
        List<AuditVerification.Problem> problems = new ArrayList<>();
        Map<String, Chain> chains = new TreeMap<>();
        long entries = 0;
        long duplicates = 0;
        for (AuditRecord record : records) {
            entries++;
            AuditEvent event = record.event();
            if (event == null) {
                add(
                        problems,
                        "unreadable",
                        null,
                        0,
                        record.position(),
                        "not an audit entry: " + record.error());
                continue;
            }
            Chain chain = chains.computeIfAbsent(event.chainName(), owner -> new Chain());
            String where = record.position();
            if (!event.hashMatches()) {
                add(
                        problems,
                        "edited",
                        event.chainName(),
                        event.seq(),
                        where,
                        "the entry's content does not match its hash");
                chain.advance(event);
                continue;
            }
            String known = chain.hashes.get(event.seq());
            if (known != null) {
                if (known.equals(event.hash())) {
                    duplicates++;
                } else {
                    add(
                            problems,
                            "conflict",
                            event.chainName(),
                            event.seq(),
                            where,
                            "a second, different entry with sequence number " + event.seq());
                }
                continue;
            }
            long expected = chain.lastSeq + 1;
            if (event.seq() < expected) {
                add(
                        problems,
                        "out-of-order",
                        event.chainName(),
                        event.seq(),
                        where,
                        "sequence number " + event.seq() + " after " + chain.lastSeq);
            } else if (event.seq() > expected) {
                add(
                        problems,
                        "gap",
                        event.chainName(),
                        event.seq(),
                        where,
                        "sequence number "
                                + event.seq()
                                + " follows "
                                + chain.lastSeq
                                + ": "
                                + (event.seq() - expected)
                                + " entries missing");
            } else if (!event.prev().equals(chain.lastHash)) {
                add(
                        problems,
                        "broken-link",
                        event.chainName(),
                        event.seq(),
                        where,
                        "prev does not match the hash of entry " + chain.lastSeq);
            }
            chain.advance(event);
        }
        int checked = 0;
        Map<String, Long> checkpointed = new HashMap<>();
        for (AuditCheckpoint checkpoint : checkpoints) {
            checked++;
            if (!AuditSigner.verify(checkpoint, publicKey)) {
                add(
                        problems,
                        "forged-checkpoint",
                        checkpoint.chainName(),
                        checkpoint.seq(),
                        null,
                        "checkpoint of " + checkpoint.time() + " is not signed by the audit key");
                continue;
            }
            Chain chain = chains.get(checkpoint.chainName());
            String logged = chain == null ? null : chain.hashes.get(checkpoint.seq());
            if (logged == null) {
                add(
                        problems,
                        "truncated",
                        checkpoint.chainName(),
                        checkpoint.seq(),
                        null,
                        "the checkpoint of "
                                + checkpoint.time()
                                + " names entry "
                                + checkpoint.seq()
                                + " but the log ends at "
                                + (chain == null ? 0 : chain.lastSeq));
            } else if (!logged.equals(checkpoint.hash())) {
                add(
                        problems,
                        "checkpoint-mismatch",
                        checkpoint.chainName(),
                        checkpoint.seq(),
                        null,
                        "entry " + checkpoint.seq() + " differs from the signed checkpoint");
            } else {
                checkpointed.merge(checkpoint.chainName(), checkpoint.seq(), Math::max);
            }
        }
        Map<String, AuditVerification.Owner> owners = new TreeMap<>();
        chains.forEach(
                (owner, chain) ->
                        owners.put(
                                owner,
                                new AuditVerification.Owner(
                                        chain.lastSeq,
                                        chain.lastHash,
                                        checkpointed.getOrDefault(owner, 0L))));
        return new AuditVerification(
                entries,
                duplicates,
                owners,
                List.copyOf(problems),
                checked,
                List.copyOf(checkpointsUnavailable));
    }

    private static void add(
            List<AuditVerification.Problem> problems,
            String kind,
            String owner,
            long seq,
            String position,
            String message) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(new AuditVerification.Problem(kind, owner, seq, position, message));
        }
    }

    private static final class Chain {
        long lastSeq;
        String lastHash = AuditChain.GENESIS;
        final Map<Long, String> hashes = new HashMap<>();

        void advance(AuditEvent event) {
            hashes.put(event.seq(), event.hash());
            if (event.seq() > lastSeq) {
                lastSeq = event.seq();
                lastHash = event.hash();
            }
        }
    }
}
