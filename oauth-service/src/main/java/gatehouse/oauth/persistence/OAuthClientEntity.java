package gatehouse.oauth.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** An OAuth client registered on one API; {@code id} is {@code <api_id>/<client_id>}. */
@Entity
@Table(name = "oauth_client")
public class OAuthClientEntity {

    @Id
    @Column(name = "id")
    public String id;

    @Column(name = "api_id", nullable = false)
    public String apiId;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    @Column(name = "org_id")
    public String orgId;

    @Column(name = "secret_sealed", nullable = false, columnDefinition = "text")
    public String secretSealed;

    @Column(name = "redirect_uri", nullable = false, columnDefinition = "text")
    public String redirectUri;

    @Column(name = "policy_id")
    public String policyId;

    /** JSON object, or null. */
    @Column(name = "meta_data", columnDefinition = "text")
    public String metaData;

    @Column(name = "description", columnDefinition = "text")
    public String description;

    @Column(name = "version", nullable = false)
    public long version;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Column(name = "deleted_at")
    public OffsetDateTime deletedAt;

    public static String idOf(String apiId, String clientId) {
        return apiId + "/" + clientId;
    }

    public boolean isLive() {
        return deletedAt == null;
    }
}
