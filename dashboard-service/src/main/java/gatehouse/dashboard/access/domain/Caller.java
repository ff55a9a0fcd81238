package gatehouse.dashboard.access.domain;

/**
 * The Dashboard user a {@code /api} request is made by, with the permissions that apply to it (its
 * group's when it is in one).
 *
 * @param userId the user's id
 * @param orgId the organisation it is confined to; null for a super user (all organisations)
 * @param permissions the effective permissions
 */
public record Caller(String userId, String orgId, Permissions permissions) {

    /** True for a super user: created by the Admin API without an organisation. */
    public boolean isSuperUser() {
        return orgId == null;
    }

    /** True when a document of this organisation is within the caller's reach. */
    public boolean reaches(String documentOrgId) {
        return orgId == null || orgId.equals(documentOrgId);
    }
}
