package gatehouse.contracts.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A signed checkpoint as the owner stores it. */
@Entity
@Table(name = "audit_checkpoint")
public class AuditCheckpointEntity {

    @Id public Long seq;

    @Column(nullable = false)
    public String hash;

    @Column(name = "signed_at", nullable = false)
    public OffsetDateTime signedAt;

    @Column(nullable = false, columnDefinition = "text")
    public String signature;
}
