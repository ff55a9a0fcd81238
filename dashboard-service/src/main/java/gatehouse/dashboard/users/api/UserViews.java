package gatehouse.dashboard.users.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.dashboard.access.domain.PermissionsJson;
import gatehouse.dashboard.common.api.Views;
import gatehouse.dashboard.users.persistence.UserEntity;
import java.util.List;
import java.util.Map;

/**
 * A user as Tyk's {@code User} (DASHBOARD.md §3.1), in its field order. There is no {@code
 * access_key} on reads: only its digest is kept; it is shown once, at creation or reset.
 */
final class UserViews {

    private UserViews() {}

    static ObjectNode user(UserEntity user) {
        ObjectNode view = TykJson.MAPPER.createObjectNode();
        view.put("id", user.id);
        view.put("org_id", user.orgId == null ? "" : user.orgId);
        view.put("first_name", user.firstName);
        view.put("last_name", user.lastName);
        view.put("email_address", user.emailAddress);
        view.put("active", user.active);
        view.put("group_id", user.groupId);
        view.set(
                "user_permissions",
                TykJson.MAPPER.valueToTree(PermissionsJson.read(user.userPermissions).asMap()));
        view.set("api_model", Views.object(user.apiModel));
        view.put("created_at", Views.time(user.createdAt));
        view.put("password_max_days", user.passwordMaxDays);
        return view;
    }

    /** The user with the credential just made: the one time it is shown. */
    static ObjectNode withAccessKey(UserEntity user, String accessKey) {
        ObjectNode view = user(user);
        ObjectNode ordered = TykJson.MAPPER.createObjectNode();
        view.fields()
                .forEachRemaining(
                        e -> {
                            ordered.set(e.getKey(), e.getValue());
                            if (e.getKey().equals("active")) {
                                ordered.put("access_key", accessKey);
                            }
                        });
        return ordered;
    }

    /** {@code {"pages":N,"users":[...]}}. */
    static Map<String, Object> list(List<UserEntity> users, int pages) {
        return Map.of("pages", pages, "users", users.stream().map(UserViews::user).toList());
    }
}
