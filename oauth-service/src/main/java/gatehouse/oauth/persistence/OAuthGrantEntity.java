package gatehouse.oauth.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** An authorisation code or a refresh token, by digest; deleted once used. */
@Entity
@Table(name = "oauth_grant")
public class OAuthGrantEntity {

    public static final String CODE = "code";
    public static final String REFRESH = "refresh";

    @Id
    @Column(name = "digest")
    public String digest;

    @Column(name = "kind", nullable = false)
    public String kind;

    @Column(name = "api_id", nullable = false)
    public String apiId;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    @Column(name = "redirect_uri", columnDefinition = "text")
    public String redirectUri;

    @Column(name = "scope", columnDefinition = "text")
    public String scope;

    /** The session the token made from this grant gets. */
    @Column(name = "session", nullable = false, columnDefinition = "text")
    public String session;

    /** For a refresh token: the access token issued with it. */
    @Column(name = "access_digest")
    public String accessDigest;

    @Column(name = "expires_at", nullable = false)
    public long expiresAt;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;
}
