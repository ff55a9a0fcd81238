package gatehouse.dashboard.users.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.dashboard.access.domain.Permissions;
import gatehouse.dashboard.access.domain.PermissionsJson;
import gatehouse.dashboard.common.api.Bodies;
import gatehouse.dashboard.common.api.DashboardException;
import gatehouse.dashboard.common.domain.InvalidDocumentException;
import gatehouse.dashboard.common.domain.Pagination;
import gatehouse.dashboard.users.domain.UserFields;
import gatehouse.dashboard.users.persistence.DuplicateEmailException;
import gatehouse.dashboard.users.persistence.UserEntity;
import gatehouse.dashboard.users.persistence.UserStore;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Admin API's {@code /admin/users} (DASHBOARD.md §3.4), behind {@code admin-auth}: users of any
 * organisation, and super users (no {@code org_id}). The create answer carries the credential in
 * {@code Message} and the user in {@code Meta}, as Tyk's does; it is shown only then.
 */
@Path("/admin/users")
public class AdminUserResource {

    private static final String MALFORMED = "Request body malformed";
    private static final String INVALID = "User object validation failed";
    private static final String EMAIL_TAKEN = "User email already exists for this Org";
    private static final String NOT_FOUND = "Could not retrieve user detail";

    private final UserStore users;
    private final UserAccounts accounts;
    private final int pageSize;

    AdminUserResource(
            UserStore users,
            UserAccounts accounts,
            @ConfigProperty(name = "gatehouse.dashboard.page-size") int pageSize) {
        this.users = users;
        this.accounts = accounts;
        this.pageSize = pageSize;
    }

    @GET
    public Uni<Response> list(@QueryParam("p") String p) {
        Pagination page = Pagination.of(Bodies.page(p), pageSize);
        return users.list(null, null, page)
                .map(l -> Bodies.ok(UserViews.list(l.items(), page.pages(l.total()))));
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> create(String body) {
        UserFields fields = read(body);
        try {
            fields.requireComplete();
        } catch (InvalidDocumentException e) {
            throw new DashboardException(400, INVALID);
        }
        String orgId = fields.orgId() == null || fields.orgId().isEmpty() ? null : fields.orgId();
        Permissions permissions =
                fields.lacksPermissions() ? Permissions.FULL_ADMIN : fields.permissions();
        return accounts.groupPermissions(fields.groupId(), orgId, INVALID)
                .flatMap(
                        group -> {
                            UserEntity user = accounts.newUser(fields, orgId, permissions);
                            String accessKey = accounts.issueKey(user);
                            return users.create(user)
                                    .map(
                                            created ->
                                                    Bodies.ok(
                                                            accessKey,
                                                            UserViews.withAccessKey(
                                                                    created, accessKey)));
                        })
                .onFailure(DuplicateEmailException.class)
                .transform(e -> new DashboardException(403, EMAIL_TAKEN));
    }

    @GET
    @Path("{id}")
    public Uni<Response> get(@PathParam("id") String id) {
        return users.find(id, null)
                .map(
                        user -> {
                            if (user == null) {
                                throw new DashboardException(404, NOT_FOUND);
                            }
                            return Bodies.ok(UserViews.user(user));
                        });
    }

    /**
     * Replaces what is sent ({@code ResetPassword} included). Tyk answers with the credential in
     * {@code Message}; Gatehouse holds only its digest and says {@code User updated}.
     */
    @PUT
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> update(@PathParam("id") String id, String body) {
        UserFields fields = read(body);
        return users.find(id, null)
                .flatMap(
                        found -> {
                            if (found == null) {
                                throw new DashboardException(404, "User not found");
                            }
                            return accounts.groupPermissions(
                                    fields.groupId(), found.orgId, INVALID);
                        })
                .flatMap(
                        group ->
                                changed(
                                        id,
                                        "User not found",
                                        user -> {
                                            accounts.apply(user, fields);
                                            if (!fields.lacksPermissions()) {
                                                user.userPermissions =
                                                        PermissionsJson.write(fields.permissions());
                                            }
                                        }))
                .onFailure(DuplicateEmailException.class)
                .transform(e -> new DashboardException(403, EMAIL_TAKEN));
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") String id) {
        return users.delete(id, null, user -> {})
                .map(
                        deleted -> {
                            if (!deleted) {
                                throw new DashboardException(404, NOT_FOUND);
                            }
                            return Bodies.ok("User deleted", null);
                        });
    }

    @PUT
    @Path("{id}/actions/allow_reset_passwords")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> allowResetPasswords(@PathParam("id") String id) {
        return changed(id, NOT_FOUND, user -> resetPasswords(user, true));
    }

    @PUT
    @Path("{id}/actions/disallow_reset_passwords")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> disallowResetPasswords(@PathParam("id") String id) {
        return changed(id, NOT_FOUND, user -> resetPasswords(user, false));
    }

    private static void resetPasswords(UserEntity user, boolean allowed) {
        user.userPermissions =
                PermissionsJson.write(
                        PermissionsJson.read(user.userPermissions).withResetPassword(allowed));
    }

    private Uni<Response> changed(String id, String missing, Consumer<UserEntity> change) {
        return users.update(id, null, change)
                .map(
                        user -> {
                            if (user == null) {
                                throw new DashboardException(404, missing);
                            }
                            return Bodies.ok("User updated", UserViews.user(user));
                        });
    }

    private static UserFields read(String body) {
        ObjectNode object = Bodies.object(body, MALFORMED);
        try {
            return UserFields.read(object);
        } catch (InvalidDocumentException e) {
            throw new DashboardException(400, INVALID);
        }
    }
}
