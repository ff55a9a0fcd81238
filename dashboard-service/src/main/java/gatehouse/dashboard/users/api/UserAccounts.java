package gatehouse.dashboard.users.api;

import gatehouse.contracts.keys.KeyDigest;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.dashboard.access.domain.Permissions;
import gatehouse.dashboard.access.domain.PermissionsJson;
import gatehouse.dashboard.common.api.DashboardException;
import gatehouse.dashboard.common.domain.ObjectIds;
import gatehouse.dashboard.usergroups.persistence.UserGroupStore;
import gatehouse.dashboard.users.domain.AccessKeys;
import gatehouse.dashboard.users.domain.UserFields;
import gatehouse.dashboard.users.persistence.UserEntity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/** What the Admin API and {@code /api/users} do alike to a user. */
@ApplicationScoped
public class UserAccounts {

    private final KeyDigest digests;
    private final UserGroupStore groups;

    UserAccounts(KeyDigest digests, UserGroupStore groups) {
        this.digests = digests;
        this.groups = groups;
    }

    /**
     * A new user of an organisation (null: a super user) from complete fields; its credential is
     * set by {@link #issueKey}.
     */
    UserEntity newUser(UserFields fields, String orgId, Permissions permissions) {
        UserEntity user = new UserEntity();
        user.id = ObjectIds.next(Clock.systemUTC());
        user.orgId = orgId;
        apply(user, fields);
        user.active = fields.active() == null || fields.active();
        user.userPermissions = PermissionsJson.write(permissions);
        return user;
    }

    /** Copies the fields that were sent (not the permissions, not the organisation). */
    void apply(UserEntity user, UserFields fields) {
        if (fields.firstName() != null) {
            user.firstName = fields.firstName();
        }
        if (fields.lastName() != null) {
            user.lastName = fields.lastName();
        }
        if (fields.emailAddress() != null) {
            user.emailAddress = fields.emailAddress();
        }
        if (fields.active() != null) {
            user.active = fields.active();
        }
        if (fields.groupId() != null) {
            user.groupId = fields.groupId();
        }
        if (fields.apiModel() != null) {
            user.apiModel = TykJson.encode(fields.apiModel()).stripTrailing();
        }
        if (fields.passwordMaxDays() != null) {
            user.passwordMaxDays = fields.passwordMaxDays();
        }
    }

    /**
     * Gives the user a new credential (the old one stops working at the commit).
     *
     * @return the credential, to be shown once
     */
    String issueKey(UserEntity user) {
        String accessKey = AccessKeys.generate();
        user.accessKeyDigest = digests.of(accessKey);
        return accessKey;
    }

    /** Makes the user's credential unusable without issuing one: a digest of nothing shown. */
    void revokeKey(UserEntity user) {
        user.accessKeyDigest =
                digests.of("revoked:" + AccessKeys.generate() + AccessKeys.generate());
    }

    /**
     * The permissions that apply to a user: its group's when it is in one of its organisation, with
     * its own {@code ResetPassword}.
     */
    public Uni<Permissions> effective(UserEntity user) {
        Permissions own = PermissionsJson.read(user.userPermissions);
        if (user.groupId.isEmpty() || user.orgId == null) {
            return Uni.createFrom().item(own);
        }
        return groups.find(user.groupId, user.orgId)
                .map(
                        group ->
                                group == null
                                        ? own
                                        : own.asMemberOf(
                                                PermissionsJson.read(group.userPermissions)));
    }

    /**
     * Checks that a group id names a group of the organisation.
     *
     * @return the group's permissions, or null for no group
     * @throws DashboardException 400 with the given text (as the Uni's failure) when it does not
     */
    Uni<Permissions> groupPermissions(String groupId, String orgId, String invalid) {
        if (groupId == null || groupId.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        if (orgId == null) {
            return Uni.createFrom().failure(new DashboardException(400, invalid));
        }
        return groups.find(groupId, orgId)
                .map(
                        group -> {
                            if (group == null) {
                                throw new DashboardException(400, invalid);
                            }
                            return PermissionsJson.read(group.userPermissions);
                        });
    }
}
