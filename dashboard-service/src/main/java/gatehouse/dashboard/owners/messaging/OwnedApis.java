package gatehouse.dashboard.owners.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.dashboard.common.api.DashboardException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;

/**
 * An organisation's API definition as admin-service holds it, by either id ({@code
 * /gatehouse/apis/lookup/{id}}): what the Dashboard's features beside {@code /api/apis} (OAuth
 * clients, API access) check an API against.
 */
@ApplicationScoped
public class OwnedApis {

    private final Owners owners;

    OwnedApis(Owners owners) {
        this.owners = owners;
    }

    /**
     * The definition of the organisation's API (null organisation: any), or null when there is
     * none.
     *
     * @param unavailable the endpoint's 500 text when admin-service does not answer
     */
    public Uni<ObjectNode> definition(String orgId, String apiId, String unavailable) {
        return owners.lookup("apis", orgId, apiId, unavailable)
                .map(found -> found == null ? null : (ObjectNode) found.get("document"));
    }

    /**
     * Fails with a 400 {@code refusal + apiId} unless every API is the organisation's: what a key's
     * or a policy's {@code access_rights} may name (another organisation's API would be opened to
     * this one's keys).
     *
     * @param unavailable the endpoint's text when admin-service does not answer
     */
    public Uni<Void> requireAll(
            String orgId, Collection<String> apiIds, String refusal, String unavailable) {
        Uni<Void> checks = Uni.createFrom().voidItem();
        for (String apiId : apiIds) {
            checks =
                    checks.chain(
                            () ->
                                    definition(orgId, apiId, unavailable)
                                            .invoke(
                                                    found -> {
                                                        if (found == null) {
                                                            throw new DashboardException(
                                                                    400, refusal + apiId);
                                                        }
                                                    })
                                            .replaceWithVoid());
        }
        return checks;
    }
}
