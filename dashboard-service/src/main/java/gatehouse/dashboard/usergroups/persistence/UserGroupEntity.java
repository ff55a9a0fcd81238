package gatehouse.dashboard.usergroups.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A user group of one organisation; its members have its permissions. */
@Entity
@Table(name = "user_group")
public class UserGroupEntity {

    @Id
    @Column(name = "id")
    public String id;

    @Column(name = "org_id", nullable = false)
    public String orgId;

    @Column(name = "name", nullable = false)
    public String name;

    @Column(name = "description", nullable = false, columnDefinition = "text")
    public String description = "";

    @Column(name = "active", nullable = false)
    public boolean active;

    @Column(name = "password_max_days", nullable = false)
    public int passwordMaxDays;

    /** JSON object, section to level. */
    @Column(name = "user_permissions", nullable = false, columnDefinition = "text")
    public String userPermissions;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;
}
