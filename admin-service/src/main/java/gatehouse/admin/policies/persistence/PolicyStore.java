package gatehouse.admin.policies.persistence;

import gatehouse.admin.documents.VersionedDocuments;
import gatehouse.admin.policies.domain.PolicyRules.PolicyDocument;
import gatehouse.contracts.audit.AuditJournal;
import gatehouse.contracts.events.ChangeOrigin;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.contracts.outbox.OutboxPublication;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Stores policies and announces them on {@code gatehouse.policies}. */
@ApplicationScoped
public class PolicyStore {

    private final VersionedDocuments<PolicyEntity> documents;

    PolicyStore(OutboxPublication publication, AuditJournal journal) {
        this.documents =
                new VersionedDocuments<>(
                        new VersionedDocuments.Kind<>(
                                PolicyEntity.class,
                                PolicyEntity::new,
                                Topics.POLICIES,
                                EventTypes.POLICY_UPSERTED,
                                EventTypes.POLICY_DELETED,
                                "policy"),
                        publication,
                        journal);
    }

    /** Creates or replaces the policy (Tyk writes the file either way). */
    public Uni<PolicyEntity> save(PolicyDocument policy, ChangeOrigin origin) {
        return documents.save(policy.id(), policy.orgId(), policy.document(), e -> {}, origin);
    }

    /** Deletes a live policy; null when there is none. */
    public Uni<PolicyEntity> delete(String id, ChangeOrigin origin) {
        return documents.delete(id, origin);
    }

    public Uni<PolicyEntity> find(String id) {
        return documents.find(id);
    }

    public Uni<List<PolicyEntity>> all() {
        return documents.all();
    }
}
