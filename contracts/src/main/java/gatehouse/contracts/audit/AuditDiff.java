package gatehouse.contracts.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.TreeSet;

/**
 * The field-level difference of two JSON documents: one entry per changed leaf, objects compared
 * field by field, arrays and scalars as wholes. Paths are JSON Pointers ({@code
 * /proxy/target_url}). A field that is absent on one side has no {@code before} or {@code after}.
 */
public final class AuditDiff {

    private AuditDiff() {}

    /** What changed from {@code before} to {@code after}; either may be null (create, delete). */
    public static ArrayNode between(JsonNode before, JsonNode after) {
        ArrayNode changes = JsonNodeFactory.instance.arrayNode();
        walk("", before, after, changes);
        return changes;
    }

    private static void walk(String path, JsonNode before, JsonNode after, ArrayNode changes) {
        boolean beforeAbsent = before == null || before.isMissingNode();
        boolean afterAbsent = after == null || after.isMissingNode();
        if (beforeAbsent && afterAbsent) {
            return;
        }
        if (!beforeAbsent && !afterAbsent && before.isObject() && after.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            before.fieldNames().forEachRemaining(names::add);
            after.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                walk(path + "/" + escape(name), before.get(name), after.get(name), changes);
            }
            return;
        }
        if (!beforeAbsent && !afterAbsent && before.equals(after)) {
            return;
        }
        ObjectNode change = changes.addObject();
        change.put("path", path.isEmpty() ? "/" : path);
        if (!beforeAbsent) {
            change.set("before", before);
        }
        if (!afterAbsent) {
            change.set("after", after);
        }
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
