package gatehouse.dashboard.users.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A Dashboard user. The credential is held only as its HMAC digest ({@code access_key_digest}). */
@Entity
@Table(name = "dashboard_user")
public class UserEntity {

    @Id
    @Column(name = "id")
    public String id;

    /** Null for a super user. */
    @Column(name = "org_id")
    public String orgId;

    @Column(name = "first_name", nullable = false)
    public String firstName;

    @Column(name = "last_name", nullable = false)
    public String lastName;

    @Column(name = "email_address", nullable = false)
    public String emailAddress;

    @Column(name = "active", nullable = false)
    public boolean active;

    @Column(name = "group_id", nullable = false)
    public String groupId = "";

    /** JSON object, section to level. */
    @Column(name = "user_permissions", nullable = false, columnDefinition = "text")
    public String userPermissions;

    /** JSON object. */
    @Column(name = "api_model", nullable = false, columnDefinition = "text")
    public String apiModel = "{}";

    @Column(name = "password_max_days", nullable = false)
    public int passwordMaxDays;

    @Column(name = "access_key_digest", nullable = false)
    public String accessKeyDigest;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
