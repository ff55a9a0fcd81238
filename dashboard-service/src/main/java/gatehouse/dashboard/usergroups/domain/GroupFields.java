package gatehouse.dashboard.usergroups.domain;

import static gatehouse.dashboard.common.domain.DocumentFields.bool;
import static gatehouse.dashboard.common.domain.DocumentFields.count;
import static gatehouse.dashboard.common.domain.DocumentFields.text;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.dashboard.access.domain.Permissions;
import gatehouse.dashboard.common.domain.DocumentFields;
import gatehouse.dashboard.common.domain.InvalidDocumentException;

/**
 * The writable fields of a user group (DASHBOARD.md §3.5). {@code ResetPassword} is dropped: only
 * the Admin API grants it, and only to users.
 *
 * @param orgId {@code org_id}
 * @param name {@code name}
 * @param description {@code description}
 * @param active {@code active}
 * @param passwordMaxDays {@code password_max_days}
 * @param permissions {@code user_permissions}
 */
public record GroupFields(
        String orgId,
        String name,
        String description,
        Boolean active,
        Integer passwordMaxDays,
        Permissions permissions) {

    /**
     * Reads a request body.
     *
     * @throws InvalidDocumentException for a field of the wrong type, a missing name or no
     *     permission
     */
    public static GroupFields read(ObjectNode body) {
        Permissions permissions = DocumentFields.permissions(body);
        GroupFields fields =
                new GroupFields(
                        text(body, "org_id"),
                        text(body, "name"),
                        text(body, "description"),
                        bool(body, "active"),
                        count(body, "password_max_days"),
                        permissions == null ? null : permissions.withResetPassword(false));
        if (fields.name == null || fields.name.isBlank()) {
            throw new InvalidDocumentException("a group needs a name");
        }
        if (fields.permissions == null || fields.permissions.isEmpty()) {
            throw new InvalidDocumentException("a group needs at least one permission");
        }
        return fields;
    }
}
