package gatehouse.admin.certs.persistence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.admin.documents.VersionedDocuments;
import gatehouse.contracts.audit.AuditJournal;
import gatehouse.contracts.events.ChangeOrigin;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.contracts.outbox.OutboxPublication;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Stores certificates and announces them on {@code gatehouse.certs}. */
@ApplicationScoped
public class CertificateStore {

    private final VersionedDocuments<CertificateEntity> documents;

    CertificateStore(OutboxPublication publication, AuditJournal journal) {
        this.documents =
                new VersionedDocuments<>(
                        new VersionedDocuments.Kind<>(
                                CertificateEntity.class,
                                CertificateEntity::new,
                                Topics.CERTS,
                                EventTypes.CERT_UPSERTED,
                                EventTypes.CERT_DELETED,
                                "certificate"),
                        publication,
                        journal);
    }

    /** Adds a certificate; null when a live one has that id already. */
    public Uni<CertificateEntity> add(
            String id, String orgId, ObjectNode document, ChangeOrigin origin) {
        return documents
                .find(id)
                .flatMap(
                        existing ->
                                existing != null
                                        ? Uni.createFrom().<CertificateEntity>nullItem()
                                        : documents.save(id, orgId, document, e -> {}, origin));
    }

    /** Deletes a live certificate; null when there is none. */
    public Uni<CertificateEntity> delete(String id, ChangeOrigin origin) {
        return documents.delete(id, origin);
    }

    public Uni<CertificateEntity> find(String id) {
        return documents.find(id);
    }

    public Uni<List<CertificateEntity>> all() {
        return documents.all();
    }
}
