package gatehouse.dashboard.users.domain;

import static gatehouse.dashboard.common.domain.DocumentFields.bool;
import static gatehouse.dashboard.common.domain.DocumentFields.count;
import static gatehouse.dashboard.common.domain.DocumentFields.object;
import static gatehouse.dashboard.common.domain.DocumentFields.text;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.dashboard.access.domain.Permissions;
import gatehouse.dashboard.common.domain.DocumentFields;
import gatehouse.dashboard.common.domain.InvalidDocumentException;

/**
 * The writable fields of a Dashboard user as a request sends them (DASHBOARD.md §3.1). A field left
 * out is null, so an update can tell "not sent" from "sent empty". A password is accepted and
 * ignored: Gatehouse has no Dashboard UI to log in to.
 *
 * @param orgId {@code org_id}
 * @param firstName {@code first_name}
 * @param lastName {@code last_name}
 * @param emailAddress {@code email_address}
 * @param active {@code active}
 * @param groupId {@code group_id}
 * @param permissions {@code user_permissions}
 * @param apiModel {@code api_model}
 * @param passwordMaxDays {@code password_max_days}
 */
public record UserFields(
        String orgId,
        String firstName,
        String lastName,
        String emailAddress,
        Boolean active,
        String groupId,
        Permissions permissions,
        ObjectNode apiModel,
        Integer passwordMaxDays) {

    /**
     * Reads a request body.
     *
     * @throws InvalidDocumentException when a field has the wrong type or a permission an unknown
     *     value
     */
    public static UserFields read(ObjectNode body) {
        return new UserFields(
                text(body, "org_id"),
                text(body, "first_name"),
                text(body, "last_name"),
                text(body, "email_address"),
                bool(body, "active"),
                text(body, "group_id"),
                DocumentFields.permissions(body),
                object(body, "api_model"),
                count(body, "password_max_days"));
    }

    /**
     * Checks what a new user needs: names and an email address that looks like one.
     *
     * @throws InvalidDocumentException naming what is missing
     */
    public void requireComplete() {
        if (isBlank(firstName) || isBlank(lastName) || isBlank(emailAddress)) {
            throw new InvalidDocumentException(
                    "first_name, last_name and email_address are required");
        }
        if (!emailAddress.contains("@")) {
            throw new InvalidDocumentException("email_address is not an address");
        }
    }

    /** True when no permission at all was sent (absent or {@code {}}). */
    public boolean lacksPermissions() {
        return permissions == null || permissions.isEmpty();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
