package gatehouse.dashboard.apis.access.domain;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * Who owns an API (DASHBOARD.md §4.7): Dashboard users and user groups of its organisation, in the
 * order given, each once.
 *
 * @param userIds the users' ids
 * @param userGroupIds the user groups' ids
 */
public record ApiOwners(List<String> userIds, List<String> userGroupIds) {

    /** Nobody: what an API nobody was given to has. */
    public static final ApiOwners NONE = new ApiOwners(List.of(), List.of());

    public ApiOwners {
        userIds = List.copyOf(new LinkedHashSet<>(userIds));
        userGroupIds = List.copyOf(new LinkedHashSet<>(userGroupIds));
    }
}
