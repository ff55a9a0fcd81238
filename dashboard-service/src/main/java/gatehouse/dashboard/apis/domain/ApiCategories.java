package gatehouse.dashboard.apis.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A classic API's categories: the {@code #tags} of its name, as the Tyk Dashboard groups classic
 * APIs (admin-service filters on the same rule). {@code "Orders #public #v2"} is in {@code public}
 * and {@code v2}.
 */
public final class ApiCategories {

    private ApiCategories() {}

    /** The categories of a name, in order, without repeats. */
    public static List<String> of(String name) {
        Set<String> tags = new LinkedHashSet<>();
        if (name != null) {
            for (String word : name.trim().split("\\s+")) {
                if (word.length() > 1 && word.startsWith("#")) {
                    tags.add(word.substring(1));
                }
            }
        }
        return new ArrayList<>(tags);
    }

    /**
     * Each category with the ids of its APIs, by category name.
     *
     * @param names API id to API name
     */
    public static Map<String, List<String>> groups(Map<String, String> names) {
        Map<String, List<String>> groups = new TreeMap<>();
        names.forEach(
                (apiId, name) ->
                        of(name).forEach(
                                        tag ->
                                                groups.computeIfAbsent(tag, t -> new ArrayList<>())
                                                        .add(apiId)));
        return groups;
    }
}
