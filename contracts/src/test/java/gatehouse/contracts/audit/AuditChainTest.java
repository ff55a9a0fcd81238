package gatehouse.contracts.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditChainTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PRIVATE_KEY = AuditSigner.generatePrivateKey();
    private static final AuditSigner SIGNER = AuditSigner.fromPrivateKey(PRIVATE_KEY);

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A chain of n entries from one owner, each a change of api-i. */
    static List<AuditEvent> chain(String owner, int n, Instant start) {
        List<AuditEvent> events = new ArrayList<>();
        String prev = AuditChain.GENESIS;
        for (int i = 1; i <= n; i++) {
            AuditEvent event =
                    new AuditEvent(
                                    owner,
                                    "c1",
                                    i,
                                    prev,
                                    start.plusSeconds(i),
                                    AuditEvent.COMMITTED,
                                    i % 3 == 0 ? "update" : "create",
                                    "api",
                                    "api-" + (i % 3 == 0 ? i - 1 : i),
                                    i % 3 == 0 ? 2 : 1,
                                    "admin-secret",
                                    "x-tyk-authorization",
                                    "10.0.0.1",
                                    "req-" + i,
                                    0,
                                    null,
                                    0,
                                    json("[]"),
                                    json("{\"name\":\"n" + i + "\"}"),
                                    null)
                            .sealed();
            events.add(event);
            prev = event.hash();
        }
        return events;
    }

    static List<AuditRecord> records(List<AuditEvent> events) {
        List<AuditRecord> records = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            records.add(new AuditRecord(0, i, events.get(i).time(), events.get(i), null));
        }
        return records;
    }

    static AuditVerification verify(List<AuditRecord> records, List<AuditCheckpoint> checkpoints) {
        return AuditVerifier.verify(records, checkpoints, SIGNER.publicKey(), List.of());
    }

    static AuditCheckpoint checkpointAt(AuditEvent event) {
        return SIGNER.sign(
                new AuditCheckpoint(
                        event.owner(),
                        event.chain(),
                        event.seq(),
                        event.hash(),
                        event.time(),
                        null));
    }

    @Test
    void hashIgnoresFieldOrderButNotContent() {
        assertEquals(
                AuditChain.hash(json("{\"a\":1,\"b\":{\"y\":2,\"x\":[1,{\"q\":1,\"p\":2}]}}")),
                AuditChain.hash(json("{\"b\":{\"x\":[1,{\"p\":2,\"q\":1}],\"y\":2},\"a\":1}")));
        assertFalse(AuditChain.hash(json("{\"a\":1}")).equals(AuditChain.hash(json("{\"a\":2}"))));
    }

    @Test
    void anEntryReadBackFromItsJsonKeepsItsHash() {
        AuditEvent event = chain("admin-service", 1, Instant.parse("2026-12-02T10:00:00Z")).get(0);
        AuditEvent read = AuditEvent.fromJson(json(AuditChain.canonicalText(event.toJson(true))));
        assertTrue(read.hashMatches());
        assertEquals(event, read);
    }

    @Test
    void anIntactChainWithCheckpointsVerifies() {
        List<AuditEvent> admin = chain("admin-service", 20, Instant.parse("2026-12-02T10:00:00Z"));
        List<AuditEvent> keys = chain("keys-service", 5, Instant.parse("2026-12-02T10:00:00Z"));
        List<AuditEvent> log = new ArrayList<>(admin);
        log.addAll(10, keys);
        var report =
                verify(
                        records(log),
                        List.of(checkpointAt(admin.get(19)), checkpointAt(keys.get(4))));
        assertTrue(report.intact(), () -> report.toJson().toString());
        assertEquals(25, report.entries());
        assertEquals(20, report.owners().get("admin-service/c1").checkpointedSeq());
    }

    @Test
    void aRepublishedEntryIsADuplicateNotTampering() {
        List<AuditEvent> admin = chain("admin-service", 5, Instant.parse("2026-12-02T10:00:00Z"));
        List<AuditEvent> log = new ArrayList<>(admin);
        log.add(3, admin.get(2));
        var report = verify(records(log), List.of());
        assertTrue(report.intact(), () -> report.toJson().toString());
        assertEquals(1, report.duplicates());
    }

    @Test
    void aWrongSignatureIsAForgedCheckpoint() {
        List<AuditEvent> admin = chain("admin-service", 5, Instant.parse("2026-12-02T10:00:00Z"));
        AuditSigner other = AuditSigner.fromPrivateKey(AuditSigner.generatePrivateKey());
        AuditEvent last = admin.get(4);
        var forged =
                other.sign(
                        new AuditCheckpoint(
                                "admin-service", "c1", 9, "f".repeat(64), last.time(), null));
        var report = verify(records(admin), List.of(forged));
        assertEquals("forged-checkpoint", report.firstBroken().kind());
    }

    @Test
    void theSignerDerivesThePublicKeyOfItsPrivateKey() {
        String privateKey = AuditSigner.generatePrivateKey();
        AuditSigner a = AuditSigner.fromPrivateKey(privateKey);
        AuditSigner b = AuditSigner.fromPrivateKey(privateKey);
        assertEquals(a.publicKey(), b.publicKey());
        var signed = a.sign(new AuditCheckpoint("o", "c", 1, "0".repeat(64), Instant.EPOCH, null));
        assertTrue(AuditSigner.verify(signed, b.publicKey()));
        assertFalse(AuditSigner.verify(signed, SIGNER.publicKey()));
    }

    @Test
    void diffNamesEachChangedLeafAndRedactionHidesSecrets() {
        var diff =
                AuditDiff.between(
                        json(
                                "{\"name\":\"a\",\"proxy\":{\"target_url\":\"http://a\",\"x\":1},\"gone\":true}"),
                        json(
                                "{\"name\":\"a\",\"proxy\":{\"target_url\":\"http://b\",\"x\":1},\"new\":[1]}"));
        assertEquals(
                json(
                        "[{\"path\":\"/gone\",\"before\":true},{\"path\":\"/new\",\"after\":[1]},"
                                + "{\"path\":\"/proxy/target_url\",\"before\":\"http://a\",\"after\":\"http://b\"}]"),
                diff);
        assertEquals(
                json("[{\"path\":\"/\",\"after\":{\"a\":1}}]"),
                AuditDiff.between(null, json("{\"a\":1}")));
        JsonNode redacted =
                AuditRedaction.redact(
                        json(
                                "{\"basic_auth_data\":{\"password\":\"p4ss\"},\"hmac_string\":\"h\","
                                        + "\"client_secret\":\"\",\"list\":[{\"jwt_secret\":\"j\"}],\"rate\":5}"));
        assertEquals(
                json(
                        "{\"basic_auth_data\":{\"password\":\"<redacted>\"},\"hmac_string\":\"<redacted>\","
                                + "\"client_secret\":\"\",\"list\":[{\"jwt_secret\":\"<redacted>\"}],\"rate\":5}"),
                redacted);
        assertNull(AuditRedaction.redact(null));
    }

    @Test
    void replayKeepsTheNewestVersionAtTheInstantAndDropsDeletions() {
        Instant t0 = Instant.parse("2026-12-02T10:00:00Z");
        List<AuditEvent> events = chain("admin-service", 6, t0);
        // api-1 v1 at +1, api-2 v1 at +2, api-2 v2 at +3, api-4 +4, api-5 +5, api-5 v2 at +6
        AuditReplay early = new AuditReplay(t0.plusSeconds(2));
        AuditReplay late = new AuditReplay(t0.plusSeconds(6));
        // delivered out of order: versions decide
        for (int i = events.size() - 1; i >= 0; i--) {
            early.accept(events.get(i));
            late.accept(events.get(i));
        }
        assertEquals(
                json("{\"api-1\":{\"name\":\"n1\"},\"api-2\":{\"name\":\"n2\"}}"),
                early.state().get("apis"));
        assertEquals("n3", late.state().get("apis").get("api-2").get("name").asText());
        assertEquals("n6", late.state().get("apis").get("api-5").get("name").asText());
        assertEquals(6, late.replayed());
    }
}
