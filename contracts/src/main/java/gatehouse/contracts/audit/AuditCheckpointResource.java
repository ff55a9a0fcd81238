package gatehouse.contracts.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.http.TykResponses;
import gatehouse.contracts.tyk.StatusMessage;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * The owner's signed audit checkpoints, on its internal surface (admin secret, as every {@code
 * /gatehouse/...} path): read by the audit log's verifier; {@code POST} signs one now (before an
 * export, or in a test).
 */
@Path("/gatehouse/audit/checkpoints")
@IfBuildProperty(name = "gatehouse.outbox.enabled", stringValue = "true")
public class AuditCheckpointResource {

    private final AuditCheckpointing checkpointing;
    private final AuditJournal journal;

    AuditCheckpointResource(AuditCheckpointing checkpointing, AuditJournal journal) {
        this.checkpointing = checkpointing;
        this.journal = journal;
    }

    @GET
    public Uni<Response> list() {
        return checkpointing
                .newest(1000)
                .map(
                        checkpoints -> {
                            ObjectNode body = JsonNodeFactory.instance.objectNode();
                            body.put("owner", journal.owner());
                            body.put("public_key", checkpointing.publicKey());
                            var list = body.putArray("checkpoints");
                            checkpoints.forEach(checkpoint -> list.add(checkpoint.toJson()));
                            return TykResponses.json(200, body);
                        });
    }

    @POST
    public Uni<Response> signNow() {
        if (checkpointing.publicKey() == null) {
            return Uni.createFrom()
                    .item(
                            TykResponses.json(
                                    409,
                                    StatusMessage.error(
                                            "audit checkpoints are off: no signing key")));
        }
        return checkpointing
                .checkpoint()
                .map(
                        checkpoint ->
                                checkpoint == null
                                        ? TykResponses.json(
                                                200, StatusMessage.ok("no audit entries yet"))
                                        : TykResponses.json(200, checkpoint.toJson()));
    }
}
