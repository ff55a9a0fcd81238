package gatehouse.gateway.routing;

import gatehouse.contracts.tyk.ApiDefinition;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One path rule of an API definition ({@code extended_paths} entry or legacy {@code paths}
 * pattern), compiled once: Tyk's pattern, found anywhere in one of the candidate paths, for its
 * methods (every method when none is named). Every kind of entry (ignored, white and black lists,
 * tracked endpoints) matches through this one rule.
 *
 * @param pattern the compiled pattern ({@link Versioning#pattern})
 * @param methods the upper-case methods it applies to; empty for every method
 */
public record PathRule(Pattern pattern, Set<String> methods) {

    /** An {@code extended_paths} entry: its {@code method}, else its {@code method_actions}. */
    public static PathRule of(ApiDefinition.EndpointMeta entry, Versioning.Matching matching) {
        Set<String> methods =
                entry.method() != null && !entry.method().isBlank()
                        ? Set.of(entry.method().toUpperCase(Locale.ROOT))
                        : entry.methodActions() == null
                                ? Set.of()
                                : Set.copyOf(
                                        entry.methodActions().keySet().stream()
                                                .map(m -> m.toUpperCase(Locale.ROOT))
                                                .toList());
        return new PathRule(Versioning.pattern(entry.path(), matching), methods);
    }

    /** A legacy {@code paths} pattern: every method. */
    public static PathRule anyMethod(String path, Versioning.Matching matching) {
        return new PathRule(Versioning.pattern(path, matching), Set.of());
    }

    /** True when the method applies and the pattern is found in one of the candidates. */
    public boolean matches(String method, List<String> candidates) {
        if (!methods.isEmpty() && !methods.contains(method)) {
            return false;
        }
        for (String candidate : candidates) {
            if (pattern.matcher(candidate).find()) {
                return true;
            }
        }
        return false;
    }

    /** The same for two candidates, without a list. */
    public boolean matches(String method, String first, String second) {
        if (!methods.isEmpty() && !methods.contains(method)) {
            return false;
        }
        return pattern.matcher(first).find() || pattern.matcher(second).find();
    }
}
