package gatehouse.admin.apis.persistence;

import gatehouse.admin.documents.DocumentLists;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Singleton;

/**
 * The Dashboard's lists of API definitions, read where they are stored: by {@code api_id}, or by
 * the Dashboard's database id (the definition's {@code id}).
 */
@Singleton
public class ApiLists extends DocumentLists {

    ApiLists(Pool pool) {
        super(pool, "api_definition", "api_id");
    }
}
