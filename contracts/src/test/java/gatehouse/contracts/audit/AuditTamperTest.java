package gatehouse.contracts.audit;

import static gatehouse.contracts.audit.AuditChainTest.chain;
import static gatehouse.contracts.audit.AuditChainTest.checkpointAt;
import static gatehouse.contracts.audit.AuditChainTest.json;
import static gatehouse.contracts.audit.AuditChainTest.records;
import static gatehouse.contracts.audit.AuditChainTest.verify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of tampering the log must reveal, as rows: the damage done to a copy of a 30-entry
 * chain (checkpointed at entry 25), the kind of problem, and the entry first named.
 */
class AuditTamperTest {

    private static final List<AuditEvent> CHAIN =
            chain("admin-service", 30, Instant.parse("2026-12-02T10:00:00Z"));
    private static final AuditCheckpoint CHECKPOINT = checkpointAt(CHAIN.get(24));

    static Stream<Arguments> tampering() {
        return Stream.of(
                Arguments.of(
                        "edit one field",
                        edit(9, e -> e.put("actor", "someone-else")),
                        "edited",
                        10),
                Arguments.of(
                        "edit and re-hash",
                        rehash(9, e -> e.put("resource_id", "api-x")),
                        "broken-link",
                        11),
                Arguments.of(
                        "delete one entry",
                        (UnaryOperator<List<AuditEvent>>) log -> without(log, 14),
                        "gap",
                        16),
                Arguments.of(
                        "swap two entries",
                        (UnaryOperator<List<AuditEvent>>) log -> swapped(log, 4, 5),
                        "gap",
                        6),
                Arguments.of(
                        "insert a forged entry",
                        (UnaryOperator<List<AuditEvent>>) AuditTamperTest::inserted,
                        "conflict",
                        8),
                Arguments.of(
                        "truncate before the checkpoint",
                        (UnaryOperator<List<AuditEvent>>) log -> log.subList(0, 20),
                        "truncated",
                        25));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tampering")
    void isDetectedAndTheFirstBadEntryNamed(
            String name, UnaryOperator<List<AuditEvent>> damage, String kind, long firstSeq) {
        assertTrue(verify(records(CHAIN), List.of(CHECKPOINT)).intact());
        var report = verify(records(damage.apply(new ArrayList<>(CHAIN))), List.of(CHECKPOINT));
        assertFalse(report.intact(), name + " went unnoticed");
        assertEquals(kind, report.firstBroken().kind(), () -> report.toJson().toString());
        assertEquals(firstSeq, report.firstBroken().seq(), () -> report.toJson().toString());
    }

    @org.junit.jupiter.api.Test
    void aForgedCheckpointIsDetected() {
        var forged =
                new AuditCheckpoint(
                        CHECKPOINT.owner(),
                        CHECKPOINT.chain(),
                        CHECKPOINT.seq(),
                        CHECKPOINT.hash(),
                        CHECKPOINT.time().plusSeconds(1),
                        CHECKPOINT.signature());
        var report = verify(records(CHAIN), List.of(forged));
        assertEquals("forged-checkpoint", report.firstBroken().kind());
    }

    @org.junit.jupiter.api.Test
    void aLogRewrittenUnderASignedCheckpointIsDetected() {
        // the whole chain rebuilt from entry 20 on with other content: every link holds
        List<AuditEvent> rewritten = new ArrayList<>(CHAIN.subList(0, 19));
        String prev = rewritten.get(18).hash();
        for (AuditEvent original : CHAIN.subList(19, 30)) {
            ObjectNode node = original.toJson(false);
            node.put("prev", prev);
            node.put("actor", "rewriter");
            AuditEvent event = AuditEvent.fromJson(node.put("hash", "")).sealed();
            rewritten.add(event);
            prev = event.hash();
        }
        var report = verify(records(rewritten), List.of(CHECKPOINT));
        assertEquals("checkpoint-mismatch", report.firstBroken().kind());
        assertEquals(25, report.firstBroken().seq());
    }

    private static UnaryOperator<List<AuditEvent>> edit(
            int index, UnaryOperator<ObjectNode> change) {
        return log -> {
            ObjectNode node = log.get(index).toJson(true);
            log.set(index, AuditEvent.fromJson(change.apply(node)));
            return log;
        };
    }

    private static UnaryOperator<List<AuditEvent>> rehash(
            int index, UnaryOperator<ObjectNode> change) {
        return log -> {
            ObjectNode node = change.apply(log.get(index).toJson(true));
            log.set(index, AuditEvent.fromJson(node).sealed());
            return log;
        };
    }

    private static List<AuditEvent> without(List<AuditEvent> log, int index) {
        log.remove(index);
        return log;
    }

    private static List<AuditEvent> swapped(List<AuditEvent> log, int a, int b) {
        Collections.swap(log, a, b);
        return log;
    }

    private static List<AuditEvent> inserted(List<AuditEvent> log) {
        // a well-formed entry claiming seq 8, chained to entry 7: the real entry 8 conflicts
        ObjectNode node = log.get(7).toJson(false);
        node.put("prev", log.get(6).hash());
        node.put("resource_id", "api-planted");
        node.set("after", json("{\"name\":\"planted\"}"));
        log.add(7, AuditEvent.fromJson(node.put("hash", "")).sealed());
        return log;
    }
}
