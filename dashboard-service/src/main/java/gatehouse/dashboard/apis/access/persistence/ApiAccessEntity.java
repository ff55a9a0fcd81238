package gatehouse.dashboard.apis.access.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** The owners of one API, by its public id; the lists are JSON arrays of ids. */
@Entity
@Table(name = "api_access")
public class ApiAccessEntity {

    @Id
    @Column(name = "api_id")
    public String apiId;

    @Column(name = "org_id", nullable = false)
    public String orgId;

    @Column(name = "user_ids", nullable = false, columnDefinition = "text")
    public String userIds;

    @Column(name = "user_group_ids", nullable = false, columnDefinition = "text")
    public String userGroupIds;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
