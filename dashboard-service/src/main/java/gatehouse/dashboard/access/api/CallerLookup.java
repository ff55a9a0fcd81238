package gatehouse.dashboard.access.api;

import gatehouse.contracts.keys.KeyDigest;
import gatehouse.dashboard.access.domain.Caller;
import gatehouse.dashboard.users.api.UserAccounts;
import gatehouse.dashboard.users.persistence.UserEntity;
import gatehouse.dashboard.users.persistence.UserStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Finds the user a Dashboard credential belongs to, on every request, in the database (ADR 0011):
 * by its HMAC digest, so a reset, a revoke or a delete is in force on every instance at its commit.
 * A user in a group gets the group's permissions.
 */
@ApplicationScoped
public class CallerLookup {

    private final KeyDigest digests;
    private final UserStore users;
    private final UserAccounts accounts;

    CallerLookup(KeyDigest digests, UserStore users, UserAccounts accounts) {
        this.digests = digests;
        this.users = users;
        this.accounts = accounts;
    }

    /** The caller of a credential, or null when it is unknown, revoked or its user inactive. */
    public Uni<Caller> caller(String presented) {
        String digest = digests.of(presented);
        return users.byCredentialDigest(digest)
                .flatMap(
                        user -> {
                            if (user == null || !user.active || !sameDigest(user, digest)) {
                                return Uni.createFrom().nullItem();
                            }
                            return accounts.effective(user)
                                    .map(
                                            permissions ->
                                                    new Caller(user.id, user.orgId, permissions));
                        });
    }

    // the row was found by its digest; compared again in constant time, so nothing here depends
    // on how much of it matched
    private static boolean sameDigest(UserEntity user, String digest) {
        return MessageDigest.isEqual(
                user.accessKeyDigest.getBytes(StandardCharsets.US_ASCII),
                digest.getBytes(StandardCharsets.US_ASCII));
    }
}
