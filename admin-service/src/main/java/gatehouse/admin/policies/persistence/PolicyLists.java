package gatehouse.admin.policies.persistence;

import gatehouse.admin.documents.DocumentLists;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Singleton;

/**
 * The Dashboard's lists of policies, read where they are stored: by {@code id}, or by the
 * Dashboard's database id (the policy's {@code _id}).
 */
@Singleton
public class PolicyLists extends DocumentLists {

    PolicyLists(Pool pool) {
        super(pool, "policy", "id");
    }
}
