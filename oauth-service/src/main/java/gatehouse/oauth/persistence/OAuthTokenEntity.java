package gatehouse.oauth.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** An access token, by digest: its session is what the gateways authorise a bearer with. */
@Entity
@Table(name = "oauth_token")
public class OAuthTokenEntity {

    @Id
    @Column(name = "digest")
    public String digest;

    /** Tyk's key hash of the token, shown by the client's token listing. */
    @Column(name = "key_hash", nullable = false)
    public String keyHash;

    @Column(name = "api_id", nullable = false)
    public String apiId;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    @Column(name = "session", nullable = false, columnDefinition = "text")
    public String session;

    @Column(name = "expires_at", nullable = false)
    public long expiresAt;

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
