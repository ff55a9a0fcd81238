package gatehouse.oauth.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.http.OwnerCalls;
import gatehouse.contracts.keys.BasicAuthPasswords;
import gatehouse.contracts.keys.KeyDigest;
import gatehouse.contracts.keys.TykKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The resource owners of the password grant: basic-auth users, which keys-service owns. Looked up
 * by digest over keys-service's internal endpoint (never on a proxied request's path).
 */
@ApplicationScoped
public class PasswordUsers {

    private final Vertx vertx;
    private final KeyDigest digest;
    private final java.net.URI keysService;
    private final String adminSecret;
    private final String hashKeyFunction;
    private volatile io.vertx.core.http.HttpClient client;

    PasswordUsers(
            Vertx vertx,
            KeyDigest digest,
            @ConfigProperty(
                            name = "gatehouse.owners.keys.url",
                            defaultValue = "http://127.0.0.1:8182")
                    String keysUrl,
            @ConfigProperty(name = "gatehouse.admin-secret") String adminSecret,
            @ConfigProperty(name = "gatehouse.keys.hash-key-function", defaultValue = "murmur64")
                    String hashFn) {
        this.vertx = vertx;
        this.digest = digest;
        this.keysService = java.net.URI.create(keysUrl);
        this.adminSecret = adminSecret;
        this.hashKeyFunction = hashFn.trim();
    }

    /**
     * The user's session when the password matches, else null.
     *
     * @param orgId the API's org: user names are keys of that org (Tyk's format, or the legacy
     *     org+name)
     */
    public Uni<ObjectNode> verify(String orgId, String username, String password) {
        List<String> candidates =
                List.of(TykKeys.generate(orgId, username, hashKeyFunction), orgId + username);
        Uni<ObjectNode> found = Uni.createFrom().nullItem();
        for (String key : candidates) {
            found =
                    found.chain(
                            user ->
                                    user != null
                                            ? Uni.createFrom().item(user)
                                            : fetch(digest.of(key)));
        }
        return found.chain(
                user -> {
                    if (user == null) {
                        return Uni.createFrom().nullItem();
                    }
                    String stored = user.path("basic_auth_data").path("password").asText("");
                    String hashType = user.path("basic_auth_data").path("hash_type").asText("");
                    // bcrypt takes milliseconds: off the event loop
                    return Uni.createFrom()
                            .completionStage(
                                    vertx.executeBlocking(
                                                    () ->
                                                            !stored.isEmpty()
                                                                    && BasicAuthPasswords.matches(
                                                                            password, stored,
                                                                            hashType),
                                                    false)
                                            .toCompletionStage())
                            .map(ok -> ok ? user : null);
                });
    }

    private Uni<ObjectNode> fetch(String keyDigest) {
        if (client == null) {
            client = vertx.createHttpClient();
        }
        return OwnerCalls.getObject(
                        client,
                        keysService,
                        "keys-service",
                        "/gatehouse/keys/" + keyDigest,
                        adminSecret,
                        Duration.ofSeconds(5))
                .map(
                        answer ->
                                answer != null
                                                && answer.path("state").path("session")
                                                        instanceof ObjectNode session
                                        ? session.deepCopy()
                                        : null);
    }
}
