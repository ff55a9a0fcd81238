package gatehouse.dashboard.users.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.dashboard.access.api.Callers;
import gatehouse.dashboard.access.domain.Access;
import gatehouse.dashboard.access.domain.Caller;
import gatehouse.dashboard.access.domain.Permissions;
import gatehouse.dashboard.access.domain.PermissionsJson;
import gatehouse.dashboard.common.api.Bodies;
import gatehouse.dashboard.common.api.DashboardException;
import gatehouse.dashboard.common.api.DashboardReply;
import gatehouse.dashboard.common.domain.InvalidDocumentException;
import gatehouse.dashboard.common.domain.Pagination;
import gatehouse.dashboard.users.domain.UserFields;
import gatehouse.dashboard.users.persistence.DuplicateEmailException;
import gatehouse.dashboard.users.persistence.UserEntity;
import gatehouse.dashboard.users.persistence.UserStore;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Dashboard's {@code /api/users} (DASHBOARD.md §3.3): the users of the caller's organisation,
 * under the {@code users} permission (checked by the auth filter). Nobody may grant, or act on a
 * user holding, more than they hold themselves.
 */
@Path("/api/users")
public class UserResource {

    static final String MALFORMED = "Request body malformed.";
    static final String INVALID = "User object validation failed.";
    static final String NO_PERMISSION =
            "To create a user specify at least one permission, or make them an admin.";
    static final String EMAIL_TAKEN = "User email already exists for this org.";
    static final String NOT_FOUND = "Could not retrieve user detail.";

    private final UserStore users;
    private final UserAccounts accounts;
    private final int pageSize;

    UserResource(
            UserStore users,
            UserAccounts accounts,
            @ConfigProperty(name = "gatehouse.dashboard.page-size") int pageSize) {
        this.users = users;
        this.accounts = accounts;
        this.pageSize = pageSize;
    }

    @GET
    public Uni<Response> list(@QueryParam("p") String p, RoutingContext routing) {
        Caller caller = Callers.of(routing);
        return page(caller, null, p);
    }

    @GET
    @Path("me")
    public Uni<Response> me(RoutingContext routing) {
        Caller caller = Callers.of(routing);
        return users.find(caller.userId(), null)
                .map(
                        user -> {
                            if (user == null) {
                                throw new DashboardException(
                                        404, "Could not retrieve current user detail.");
                            }
                            return Bodies.ok(UserViews.user(user));
                        });
    }

    @GET
    @Path("search")
    public Uni<Response> searchByQuery(
            @QueryParam("q") String q, @QueryParam("p") String p, RoutingContext routing) {
        if (q == null || q.isBlank()) {
            throw new DashboardException(404, "Could not search users.");
        }
        return page(Callers.of(routing), q.trim(), p);
    }

    @POST
    @Path("search")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> search(String body, @QueryParam("p") String p, RoutingContext routing) {
        ObjectNode request = gatehouse.contracts.tyk.TykJson.readObject(body);
        JsonNode query = request == null ? null : request.path("filters").get("query");
        if (query == null || !query.isTextual()) {
            throw new DashboardException(400, "Could not extract search filter from request body.");
        }
        return page(Callers.of(routing), query.asText().trim(), p);
    }

    private Uni<Response> page(Caller caller, String emailContains, String p) {
        Pagination page = Pagination.of(Bodies.page(p), pageSize);
        return users.list(caller.orgId(), emailContains, page)
                .map(l -> Bodies.ok(UserViews.list(l.items(), page.pages(l.total()))));
    }

    @GET
    @Path("{id}")
    public Uni<Response> get(@PathParam("id") String id, RoutingContext routing) {
        return users.find(id, Callers.of(routing).orgId())
                .map(
                        user -> {
                            if (user == null) {
                                throw new DashboardException(404, NOT_FOUND);
                            }
                            return Bodies.ok(UserViews.user(user));
                        });
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> create(String body, RoutingContext routing) {
        Caller caller = Callers.of(routing);
        UserFields fields = read(body);
        try {
            fields.requireComplete();
        } catch (InvalidDocumentException e) {
            throw new DashboardException(400, INVALID);
        }
        String orgId = caller.isSuperUser() ? fields.orgId() : caller.orgId();
        if (orgId == null || orgId.isEmpty()) {
            throw new DashboardException(400, INVALID);
        }
        if (fields.lacksPermissions()) {
            throw new DashboardException(403, NO_PERMISSION);
        }
        // only the Admin API grants ResetPassword
        Permissions permissions = fields.permissions().withResetPassword(false);
        mayGrant(caller, permissions, "/api/users");
        return accounts.groupPermissions(fields.groupId(), orgId, INVALID)
                .flatMap(
                        group -> {
                            if (group != null) {
                                mayGrant(caller, group, "/api/users");
                            }
                            UserEntity user = accounts.newUser(fields, orgId, permissions);
                            String accessKey = accounts.issueKey(user);
                            return users.create(user)
                                    .map(
                                            created ->
                                                    Bodies.ok(
                                                            new DashboardReply(
                                                                    "OK",
                                                                    "User and session have been created",
                                                                    created.id,
                                                                    accessKey)));
                        })
                .onFailure(DuplicateEmailException.class)
                .transform(e -> new DashboardException(403, EMAIL_TAKEN));
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> update(@PathParam("id") String id, String body, RoutingContext routing) {
        Caller caller = Callers.of(routing);
        UserFields fields = read(body);
        if (fields.permissions() != null && fields.permissions().isEmpty()) {
            throw new DashboardException(403, NO_PERMISSION);
        }
        String path = "/api/users/" + id;
        return target(caller, id, path, 400, "user does not exist.")
                .flatMap(
                        target ->
                                accounts.groupPermissions(fields.groupId(), target.orgId, INVALID)
                                        .flatMap(
                                                group -> {
                                                    if (group != null) {
                                                        mayGrant(caller, group, path);
                                                    }
                                                    Permissions own =
                                                            PermissionsJson.read(
                                                                    target.userPermissions);
                                                    Permissions next =
                                                            fields.permissions() == null
                                                                    ? own
                                                                    : fields.permissions()
                                                                            .withResetPassword(
                                                                                    own
                                                                                            .canResetPasswords());
                                                    mayGrant(caller, next, path);
                                                    return users.update(
                                                            id,
                                                            caller.orgId(),
                                                            user -> {
                                                                accounts.apply(user, fields);
                                                                user.userPermissions =
                                                                        PermissionsJson.write(next);
                                                            });
                                                }))
                .onFailure(DuplicateEmailException.class)
                .transform(e -> new DashboardException(403, EMAIL_TAKEN))
                .map(
                        updated -> {
                            if (updated == null) {
                                throw new DashboardException(400, "user does not exist.");
                            }
                            return Bodies.ok("User updated", null);
                        });
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") String id, RoutingContext routing) {
        Caller caller = Callers.of(routing);
        return target(caller, id, "/api/users/" + id, 404, NOT_FOUND)
                .flatMap(target -> users.delete(id, caller.orgId(), user -> {}))
                .map(
                        deleted -> {
                            if (!deleted) {
                                throw new DashboardException(404, NOT_FOUND);
                            }
                            return Bodies.ok("User deleted", null);
                        });
    }

    @PUT
    @Path("{id}/actions/key/reset")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> resetKey(@PathParam("id") String id, RoutingContext routing) {
        Caller caller = Callers.of(routing);
        String[] issued = new String[1];
        return target(caller, id, "/api/users/" + id + "/actions/key/reset", 404, NOT_FOUND)
                .flatMap(
                        target ->
                                users.update(
                                        id,
                                        caller.orgId(),
                                        user -> issued[0] = accounts.issueKey(user)))
                .map(
                        updated -> {
                            if (updated == null) {
                                throw new DashboardException(404, NOT_FOUND);
                            }
                            return Bodies.ok(
                                    new DashboardReply(
                                            "OK", "User session renewed", null, issued[0]));
                        });
    }

    @PUT
    @Path("{id}/actions/revoke")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> revoke(@PathParam("id") String id, RoutingContext routing) {
        Caller caller = Callers.of(routing);
        return target(caller, id, "/api/users/" + id + "/actions/revoke", 400, NOT_FOUND)
                .flatMap(
                        target ->
                                users.update(
                                        id,
                                        caller.orgId(),
                                        user -> {
                                            user.active = false;
                                            accounts.revokeKey(user);
                                        }))
                .map(
                        updated -> {
                            if (updated == null) {
                                throw new DashboardException(400, NOT_FOUND);
                            }
                            return Bodies.ok("User revoked", null);
                        });
    }

    /**
     * The user within the caller's organisation, refused when its permissions exceed the caller's
     * (acting on it would hand its powers over).
     */
    private Uni<UserEntity> target(
            Caller caller, String id, String path, int missingStatus, String missing) {
        return users.find(id, caller.orgId())
                .flatMap(
                        target -> {
                            if (target == null) {
                                return Uni.createFrom()
                                        .failure(new DashboardException(missingStatus, missing));
                            }
                            return accounts.effective(target)
                                    .map(
                                            held -> {
                                                mayGrant(caller, held, path);
                                                return target;
                                            });
                        });
    }

    private static void mayGrant(Caller caller, Permissions wanted, String path) {
        if (!caller.permissions().covers(wanted)) {
            throw new DashboardException(403, Access.DENIED_PREFIX + path);
        }
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
