package gatehouse.dashboard.usergroups.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.dashboard.access.api.Callers;
import gatehouse.dashboard.access.domain.Access;
import gatehouse.dashboard.access.domain.Caller;
import gatehouse.dashboard.access.domain.Permissions;
import gatehouse.dashboard.access.domain.PermissionsJson;
import gatehouse.dashboard.common.api.Bodies;
import gatehouse.dashboard.common.api.DashboardException;
import gatehouse.dashboard.common.domain.InvalidDocumentException;
import gatehouse.dashboard.common.domain.ObjectIds;
import gatehouse.dashboard.common.domain.Pagination;
import gatehouse.dashboard.usergroups.domain.GroupFields;
import gatehouse.dashboard.usergroups.persistence.UserGroupEntity;
import gatehouse.dashboard.usergroups.persistence.UserGroupStore;
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
import java.time.Clock;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Dashboard's {@code /api/usergroups} (DASHBOARD.md §3.5), under the {@code user_groups}
 * permission, within the caller's organisation. A group's permissions are its members', so nobody
 * may give a group, or change one holding, more than they hold.
 */
@Path("/api/usergroups")
public class UserGroupResource {

    private static final String MALFORMED = "Request body malformed.";
    private static final String NOT_FOUND = "Could not retrieve user group detail.";

    private final UserGroupStore groups;
    private final int pageSize;

    UserGroupResource(
            UserGroupStore groups,
            @ConfigProperty(name = "gatehouse.dashboard.page-size") int pageSize) {
        this.groups = groups;
        this.pageSize = pageSize;
    }

    @GET
    public Uni<Response> list(@QueryParam("p") String p, RoutingContext routing) {
        Pagination page = Pagination.of(Bodies.page(p), pageSize);
        return groups.list(Callers.of(routing).orgId(), page)
                .map(
                        l ->
                                Bodies.ok(
                                        Map.of(
                                                "groups",
                                                l.items().stream()
                                                        .map(UserGroupResource::view)
                                                        .toList(),
                                                "pages",
                                                page.pages(l.total()))));
    }

    @GET
    @Path("{id}")
    public Uni<Response> get(@PathParam("id") String id, RoutingContext routing) {
        return groups.find(id, Callers.of(routing).orgId())
                .map(
                        group -> {
                            if (group == null) {
                                throw new DashboardException(404, NOT_FOUND);
                            }
                            return Bodies.ok(view(group));
                        });
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> create(String body, RoutingContext routing) {
        Caller caller = Callers.of(routing);
        GroupFields fields = read(body, 403, MALFORMED);
        String orgId = caller.isSuperUser() ? fields.orgId() : caller.orgId();
        if (orgId == null || orgId.isEmpty()) {
            throw new DashboardException(403, MALFORMED);
        }
        mayGrant(caller, fields.permissions(), "/api/usergroups");
        UserGroupEntity group = new UserGroupEntity();
        group.id = ObjectIds.next(Clock.systemUTC());
        group.orgId = orgId;
        group.active = fields.active() == null || fields.active();
        apply(group, fields);
        return groups.create(group).map(created -> Bodies.ok("User group created", created.id));
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> update(@PathParam("id") String id, String body, RoutingContext routing) {
        Caller caller = Callers.of(routing);
        GroupFields fields = read(body, 400, MALFORMED);
        String path = "/api/usergroups/" + id;
        mayGrant(caller, fields.permissions(), path);
        return groups.update(
                        id,
                        caller.orgId(),
                        group -> {
                            mayGrant(caller, PermissionsJson.read(group.userPermissions), path);
                            if (fields.active() != null) {
                                group.active = fields.active();
                            }
                            apply(group, fields);
                        })
                .map(
                        updated -> {
                            if (updated == null) {
                                throw new DashboardException(400, "Group ID does not exist");
                            }
                            return Bodies.ok("User group updated", null);
                        });
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") String id, RoutingContext routing) {
        Caller caller = Callers.of(routing);
        String path = "/api/usergroups/" + id;
        return groups.delete(
                        id,
                        caller.orgId(),
                        group ->
                                mayGrant(caller, PermissionsJson.read(group.userPermissions), path))
                .map(
                        deleted -> {
                            if (!deleted) {
                                throw new DashboardException(
                                        404, "Could not retrieve user detail.");
                            }
                            return Bodies.ok("User group deleted", null);
                        });
    }

    private static void apply(UserGroupEntity group, GroupFields fields) {
        group.name = fields.name();
        if (fields.description() != null) {
            group.description = fields.description();
        }
        if (fields.passwordMaxDays() != null) {
            group.passwordMaxDays = fields.passwordMaxDays();
        }
        group.userPermissions = PermissionsJson.write(fields.permissions());
    }

    private static void mayGrant(Caller caller, Permissions wanted, String path) {
        if (!caller.permissions().covers(wanted)) {
            throw new DashboardException(403, Access.DENIED_PREFIX + path);
        }
    }

    private static GroupFields read(String body, int invalidStatus, String malformed) {
        ObjectNode object = Bodies.object(body, malformed);
        try {
            return GroupFields.read(object);
        } catch (InvalidDocumentException e) {
            throw new DashboardException(invalidStatus, malformed);
        }
    }

    /** Tyk's {@code UserGroup}, in its field order. */
    static ObjectNode view(UserGroupEntity group) {
        ObjectNode view = TykJson.MAPPER.createObjectNode();
        view.put("id", group.id);
        view.put("org_id", group.orgId);
        view.put("name", group.name);
        view.put("description", group.description);
        view.put("active", group.active);
        view.put("password_max_days", group.passwordMaxDays);
        view.set(
                "user_permissions",
                TykJson.MAPPER.valueToTree(PermissionsJson.read(group.userPermissions).asMap()));
        return view;
    }
}
