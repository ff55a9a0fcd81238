package gatehouse.admin.audit.domain;

import gatehouse.contracts.audit.AuditEvent;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A search of the audit log: entries matching every given filter, newest first, one page at a time.
 * Only the entries the page needs are kept while the log streams by.
 *
 * @param since entries committed at or after (null: any)
 * @param until entries committed at or before (null: any)
 * @param resourceType e.g. {@code api}
 * @param resourceId exact id
 * @param actor exact actor
 * @param action {@code create}, {@code update}, {@code delete}, or a refused call's method
 * @param outcome {@code committed} or {@code refused}
 * @param owner the service
 * @param page from 1
 * @param pageSize entries per page
 */
public record AuditQuery(
        Instant since,
        Instant until,
        String resourceType,
        String resourceId,
        String actor,
        String action,
        String outcome,
        String owner,
        int page,
        int pageSize) {

    /** True when the entry matches every filter. */
    public boolean matches(AuditEvent event) {
        return (since == null || !event.time().isBefore(since))
                && (until == null || !event.time().isAfter(until))
                && equal(resourceType, event.resourceType())
                && equal(resourceId, event.resourceId())
                && equal(actor, event.actor())
                && equal(action, event.action())
                && equal(outcome, event.outcome())
                && equal(owner, event.owner());
    }

    private static boolean equal(String wanted, String actual) {
        return wanted == null || wanted.equals(actual);
    }

    /** Collects a page while the log streams by in commit order. */
    public final class Page {
        private final ArrayDeque<AuditEvent> tail = new ArrayDeque<>();
        private final Set<String> seen = new HashSet<>();
        private long total;

        /** Offers the next entry of the log; a repeated publication of an entry counts once. */
        public void offer(AuditEvent event) {
            // per chain, not per owner: an owner installed afresh on the same topic counts from 1
            if (!matches(event) || !seen.add(event.chainName() + "\u0000" + event.seq())) {
                return;
            }
            total++;
            tail.addLast(event);
            // newest first: page p holds matches [total - p*size, total - (p-1)*size)
            if (tail.size() > (long) page * pageSize) {
                tail.removeFirst();
            }
        }

        /** Matches seen. */
        public long total() {
            return total;
        }

        /** Pages in all. */
        public long pages() {
            return (total + pageSize - 1) / pageSize;
        }

        /** This page's entries, newest first. */
        public List<AuditEvent> entries() {
            List<AuditEvent> newestFirst = new ArrayList<>(tail);
            java.util.Collections.reverse(newestFirst);
            int from = (page - 1) * pageSize;
            if (from >= newestFirst.size()) {
                return List.of();
            }
            return newestFirst.subList(from, Math.min(newestFirst.size(), from + pageSize));
        }
    }

    /** A new, empty page collector. */
    public Page collect() {
        return new Page();
    }
}
