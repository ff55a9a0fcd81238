package gatehouse.admin.documents;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.time.OffsetDateTime;

/**
 * A Tyk document admin-service owns (an API definition, a policy): kept as sent, with a per-id
 * version carried by its events. A deleted document stays as a marker, so the version sequence of
 * an id never restarts and gateways never mistake a re-created document for an old event.
 */
@MappedSuperclass
public abstract class VersionedDocument {

    @Id
    @Column(name = "id")
    public String id;

    @Column(name = "org_id")
    public String orgId;

    @Column(name = "document", nullable = false, columnDefinition = "text")
    public String document;

    @Column(name = "version", nullable = false)
    public long version;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Column(name = "deleted_at")
    public OffsetDateTime deletedAt;

    public boolean isLive() {
        return deletedAt == null;
    }
}
