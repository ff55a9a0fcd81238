package gatehouse.admin.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gatehouse.contracts.audit.AuditEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditQueryTest {

    private static AuditEvent entry(String chain, long seq, String resourceId) {
        return new AuditEvent(
                "admin-service",
                chain,
                seq,
                null,
                Instant.parse("2026-12-02T10:00:00Z").plusSeconds(seq),
                AuditEvent.COMMITTED,
                "create",
                "api",
                resourceId,
                1,
                "admin-secret",
                "admin-secret",
                null,
                null,
                200,
                null,
                0,
                null,
                null,
                null);
    }

    private static AuditQuery query(String resourceId, int page, int size) {
        return new AuditQuery(null, null, null, resourceId, null, null, null, null, page, size);
    }

    @Test
    void anOwnerInstalledAfreshOnTheSameTopicKeepsItsEntries() {
        var page = query(null, 1, 10).collect();
        page.offer(entry("first-install", 1, "a"));
        page.offer(entry("first-install", 2, "b"));
        page.offer(entry("second-install", 1, "c"));
        page.offer(entry("second-install", 2, "d"));
        assertEquals(4, page.total());
        assertEquals(
                List.of("d", "c", "b", "a"),
                page.entries().stream().map(AuditEvent::resourceId).toList());
    }

    @Test
    void aRepeatedPublicationCountsOnce() {
        var page = query(null, 1, 10).collect();
        page.offer(entry("chain", 1, "a"));
        page.offer(entry("chain", 2, "b"));
        page.offer(entry("chain", 2, "b"));
        assertEquals(2, page.total());
    }

    @Test
    void pagesAreNewestFirstAndFiltered() {
        var second = query(null, 2, 2).collect();
        var only = query("c", 1, 2).collect();
        for (int seq = 1; seq <= 5; seq++) {
            var event = entry("chain", seq, String.valueOf((char) ('a' + seq - 1)));
            second.offer(event);
            only.offer(event);
        }
        assertEquals(3, second.pages());
        assertEquals(
                List.of("c", "b"), second.entries().stream().map(AuditEvent::resourceId).toList());
        assertEquals(1, only.total());
        assertEquals(List.of("c"), only.entries().stream().map(AuditEvent::resourceId).toList());
    }
}
