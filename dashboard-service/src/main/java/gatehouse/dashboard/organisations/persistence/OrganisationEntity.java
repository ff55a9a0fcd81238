package gatehouse.dashboard.organisations.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** An organisation: its whole normalised document, and its owner's name for ordering. */
@Entity
@Table(name = "organisation")
public class OrganisationEntity {

    @Id
    @Column(name = "id")
    public String id;

    @Column(name = "owner_name", nullable = false)
    public String ownerName;

    @Column(name = "document", nullable = false, columnDefinition = "text")
    public String document;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
