package gatehouse.keys.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.http.TykException;
import gatehouse.contracts.http.TykResponses;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.keys.domain.KeySessions;
import gatehouse.keys.persistence.KeyEntity;
import gatehouse.keys.persistence.KeyLists;
import gatehouse.keys.persistence.KeyStore;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.Instant;

/**
 * The Dashboard's internal key list (issue 11), behind the admin secret like every {@code
 * /gatehouse/...} path: one organisation's keys paged and searched in this database. Keys are
 * stored by digest only (ADR 0005), so a listed key is its Tyk key hash: the id {@code GET
 * /tyk/keys/{hash}?hashed=true} accepts, as Tyk lists keys with {@code hash_keys} on.
 */
@Path("/gatehouse/keys/search")
public class KeyListResource {

    private final KeyLists lists;

    KeyListResource(KeyLists lists, gatehouse.contracts.keys.SessionSecrets secrets) {
        this.secrets = secrets;
        this.lists = lists;
    }

    /**
     * {@code {"items":[{"key_hash":"…"}],"total":N}}; with {@code detailed=true} each item also
     * carries {@code session} as {@code GET /tyk/keys/{key}} shows it (quotas from the counters, no
     * password).
     *
     * @param orgId the organisation; absent for every one
     * @param apiId only keys with access to this API
     * @param q a substring of the key hash
     * @param limit 0 or absent for all
     */
    @GET
    public Uni<Response> search(
            @QueryParam("org_id") String orgId,
            @QueryParam("api_id") String apiId,
            @QueryParam("q") String q,
            @QueryParam("offset") String offset,
            @QueryParam("limit") String limit,
            @QueryParam("detailed") String detailed) {
        boolean sessions = "true".equals(detailed);
        var query = new KeyLists.Query(orgId, apiId, q, number(offset), number(limit), sessions);
        return lists.list(query)
                .map(
                        page -> {
                            Instant now = Instant.now();
                            ObjectNode out = TykJson.MAPPER.createObjectNode();
                            ArrayNode items = out.putArray("items");
                            for (KeyLists.Listed row : page.rows()) {
                                ObjectNode item = items.addObject();
                                item.put("key_hash", row.keyHash());
                                if (sessions) {
                                    item.set("session", display(row, now));
                                }
                            }
                            out.put("total", page.total());
                            return TykResponses.ok(out);
                        });
    }

    private final gatehouse.contracts.keys.SessionSecrets secrets;

    private ObjectNode display(KeyLists.Listed row, Instant now) {
        KeyEntity stored = new KeyEntity();
        stored.session = row.session();
        stored.quotas = row.quotas();
        return KeySessions.forDisplay(
                secrets.open(KeyStore.sessionOf(stored)), KeyStore.quotasOf(stored), now);
    }

    private static int number(String value) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new TykException(400, "offset and limit must be whole numbers of at least 0");
    }
}
