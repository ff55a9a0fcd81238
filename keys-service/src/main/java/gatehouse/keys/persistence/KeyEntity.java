package gatehouse.keys.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A stored key: its digest, never the key itself. */
@Entity
@Table(name = "api_key")
public class KeyEntity {

    @Id
    @Column(name = "key_id")
    public String keyId;

    @Column(name = "key_hash", nullable = false)
    public String keyHash;

    @Column(name = "org_id")
    public String orgId;

    @Column(name = "session", nullable = false, columnDefinition = "text")
    public String session;

    /** {@code KeyState.quotas} as JSON. */
    @Column(name = "quotas", nullable = false, columnDefinition = "text")
    public String quotas = "{}";

    @Column(name = "usage_partition")
    public Integer usagePartition;

    @Column(name = "usage_offset")
    public Long usageOffset;

    /** True while the latest counts wait for {@code KeyStore.publishPendingUsage}. */
    @Column(name = "usage_unpublished", nullable = false)
    public boolean usageUnpublished;

    /** When the counts last went out on {@code gatehouse.keys}. */
    @Column(name = "usage_published_at")
    public OffsetDateTime usagePublishedAt;

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
