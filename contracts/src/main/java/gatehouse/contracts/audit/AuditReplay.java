package gatehouse.contracts.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds the configuration as it was at an instant from audit entries alone: for every resource,
 * the newest version committed at or before the instant; deleted resources are left out. Entries
 * may arrive in any order (a publication delayed by a broker outage lands late); versions decide.
 */
public final class AuditReplay {

    private final Instant at;
    private final Map<String, Latest> latest = new HashMap<>();
    private long replayed;
    private Instant lastChange;

    private record Latest(String type, String id, long version, JsonNode after) {}

    /** A replay that keeps changes committed at or before {@code at}. */
    public AuditReplay(Instant at) {
        this.at = at;
    }

    /** Folds one entry in (refused attempts and later changes are skipped). */
    public void accept(AuditEvent event) {
        if (!event.isChange() || event.time().isAfter(at)) {
            return;
        }
        replayed++;
        if (lastChange == null || event.time().isAfter(lastChange)) {
            lastChange = event.time();
        }
        String slot = event.resourceType() + "\u0000" + event.resourceId();
        Latest held = latest.get(slot);
        if (held == null || event.version() > held.version()) {
            latest.put(
                    slot,
                    new Latest(
                            event.resourceType(),
                            event.resourceId(),
                            event.version(),
                            "delete".equals(event.action()) ? null : event.after()));
        }
    }

    /** Changes folded in. */
    public long replayed() {
        return replayed;
    }

    /**
     * The state: {@code {"at", "changes_replayed", "last_change", "<type>s": {id: document}}}, one
     * object per resource type ({@code apis}, {@code policies}, {@code keys}, {@code org_keys},
     * {@code oauth_clients}), ids sorted.
     */
    public ObjectNode state() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("at", at.toString());
        node.put("changes_replayed", replayed);
        node.put("last_change", lastChange == null ? null : lastChange.toString());
        Map<String, TreeMap<String, JsonNode>> byType = new TreeMap<>();
        for (String type : new String[] {"api", "policy", "key", "org_key", "oauth_client"}) {
            byType.put(type, new TreeMap<>());
        }
        for (Latest entry : latest.values()) {
            if (entry.after() != null) {
                byType.computeIfAbsent(entry.type(), t -> new TreeMap<>())
                        .put(entry.id(), entry.after());
            }
        }
        byType.forEach(
                (type, documents) -> {
                    ObjectNode section = node.putObject(plural(type));
                    documents.forEach(section::set);
                });
        return node;
    }

    /** The state section a resource type is listed under. */
    public static String plural(String type) {
        return "policy".equals(type) ? "policies" : type + "s";
    }
}
