package gatehouse.admin.certs.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.admin.certs.domain.CertificateDocuments;
import gatehouse.admin.certs.persistence.CertificateEntity;
import gatehouse.admin.certs.persistence.CertificateStore;
import gatehouse.contracts.http.ChangeOrigins;
import gatehouse.contracts.http.TykException;
import gatehouse.contracts.http.TykResponses;
import gatehouse.contracts.keys.SessionSecrets;
import gatehouse.contracts.tyk.CertificatePem;
import gatehouse.contracts.tyk.TykJson;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Tyk's {@code /tyk/certs} (its certificate manager): a certificate is added from PEM under the id
 * {@code <org_id><hex SHA-256 of its DER>}, listed, shown (never its private key) and deleted. A
 * private key is stored and published only sealed; the gateways replicate the store from {@code
 * gatehouse.certs}.
 */
@Path("/tyk/certs")
public class CertificateResource {

    private final CertificateStore store;
    private final SessionSecrets secrets;

    CertificateResource(CertificateStore store, SessionSecrets secrets) {
        this.store = store;
        this.secrets = secrets;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> add(
            String body, @QueryParam("org_id") String orgId, @Context HttpServerRequest request) {
        CertificatePem pem;
        try {
            pem = CertificatePem.read(body, new Date());
        } catch (CertificatePem.Refused e) {
            throw new TykException(403, e.getMessage());
        }
        String org = orgId == null ? "" : orgId;
        String id = org + pem.fingerprint();
        ObjectNode document =
                CertificateDocuments.document(
                        id,
                        org,
                        pem,
                        pem.privateKeyPem() == null ? null : secrets.seal(pem.privateKeyPem()));
        return store.add(id, org, document, ChangeOrigins.adminSecret(request))
                .map(
                        added -> {
                            if (added == null) {
                                throw new TykException(
                                        403, "Certificate with " + id + " id already exists");
                            }
                            ObjectNode answer = TykJson.MAPPER.createObjectNode();
                            answer.put("id", id);
                            answer.put("status", "ok");
                            answer.put("message", "Certificate added");
                            return TykResponses.ok(answer);
                        });
    }

    @GET
    public Uni<Response> list(@QueryParam("org_id") String orgId, @QueryParam("mode") String mode) {
        String org = orgId == null ? "" : orgId;
        return store.all()
                .map(
                        all -> {
                            ObjectNode answer = TykJson.MAPPER.createObjectNode();
                            ArrayNode certs = answer.putArray("certs");
                            for (CertificateEntity entity : all) {
                                if (!entity.id.startsWith(org)) {
                                    continue;
                                }
                                if ("detailed".equals(mode)) {
                                    certs.add(CertificateDocuments.basics(document(entity)));
                                } else {
                                    certs.add(entity.id);
                                }
                            }
                            return TykResponses.ok(answer);
                        });
    }

    @GET
    @Path("{ids}")
    public Uni<Response> get(@PathParam("ids") String ids) {
        List<String> wanted = List.of(ids.split(","));
        return store.all()
                .map(
                        all -> {
                            Map<String, CertificateEntity> byId = new java.util.HashMap<>();
                            all.forEach(entity -> byId.put(entity.id, entity));
                            if (wanted.size() == 1) {
                                CertificateEntity found = byId.get(wanted.get(0));
                                if (found == null) {
                                    throw new TykException(
                                            404,
                                            "Certificate with given SHA256 fingerprint not found");
                                }
                                return TykResponses.ok(CertificateDocuments.meta(document(found)));
                            }
                            List<ObjectNode> metas = new ArrayList<>();
                            for (String id : wanted) {
                                CertificateEntity found = byId.get(id);
                                metas.add(
                                        found == null
                                                ? null
                                                : CertificateDocuments.meta(document(found)));
                            }
                            return TykResponses.ok(metas);
                        });
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") String id, @Context HttpServerRequest request) {
        // Tyk answers so whether or not the certificate existed
        return store.delete(id, ChangeOrigins.adminSecret(request))
                .map(
                        ignored -> {
                            ObjectNode answer = TykJson.MAPPER.createObjectNode();
                            answer.put("status", "ok");
                            answer.put("message", "removed");
                            return TykResponses.ok(answer);
                        });
    }

    private static ObjectNode document(CertificateEntity entity) {
        return TykJson.readObject(entity.document);
    }
}
