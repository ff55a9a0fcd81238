package gatehouse.contracts.audit;

import com.fasterxml.jackson.databind.JsonNode;
import gatehouse.contracts.events.ChangeOrigin;

/**
 * A change as an owner hands it to the {@link AuditJournal}: the journal redacts, diffs, numbers
 * and chains it.
 *
 * @param resourceType {@code api}, {@code policy}, {@code key}, {@code org_key}, {@code
 *     oauth_client}
 * @param resourceId the id (a key's digest, never the key)
 * @param version the resource's version after the change
 * @param before the resource before, or null when it is created
 * @param after the resource after, or null when it is deleted
 */
public record AuditDraft(
        String resourceType,
        String resourceId,
        long version,
        JsonNode before,
        JsonNode after,
        ChangeOrigin origin) {

    /** {@code create}, {@code update} or {@code delete}. */
    public String action() {
        if (after == null) {
            return "delete";
        }
        return before == null ? "create" : "update";
    }
}
