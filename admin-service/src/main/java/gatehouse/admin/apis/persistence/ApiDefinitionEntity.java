package gatehouse.admin.apis.persistence;

import java.time.OffsetDateTime;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A stored API definition: the document plus the fields we look up by. */
@Entity
@Table(name = "api_definition")
public class ApiDefinitionEntity extends PanacheEntityBase {

    @Id
    @Column(name = "api_id")
    public String apiId;

    @Column(name = "org_id")
    public String orgId;

    @Column(name = "listen_path", nullable = false)
    public String listenPath;

    @Column(name = "document", nullable = false, columnDefinition = "text")
    public String document;

    /** Per-API version carried by its events; consumers ignore anything not newer. */
    @Column(name = "version", nullable = false)
    public long version;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    /** Set when the API was deleted; the row stays so versions keep increasing if it is created again. */
    @Column(name = "deleted_at")
    public OffsetDateTime deletedAt;

    public boolean isLive() {
        return deletedAt == null;
    }
}
