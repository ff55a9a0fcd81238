package gatehouse.contracts.audit;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The single row holding an owner's last audit sequence number and hash. */
@Entity
@Table(name = "audit_chain")
public class AuditChainHead {

    /** The only row's id. */
    public static final short ROW = 1;

    @Id public Short id;

    /** The chain's id, made with the database. */
    public String chain;

    public long seq;

    public String hash;
}
