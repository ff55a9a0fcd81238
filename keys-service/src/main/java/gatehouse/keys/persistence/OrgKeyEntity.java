package gatehouse.keys.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** An organisation session (Tyk's org key). */
@Entity
@Table(name = "org_key")
public class OrgKeyEntity {

    @Id
    @Column(name = "org_id")
    public String orgId;

    @Column(name = "session", nullable = false, columnDefinition = "text")
    public String session;

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
