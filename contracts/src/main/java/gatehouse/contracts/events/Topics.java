package gatehouse.contracts.events;

import java.util.List;
import java.util.Map;

/** The topics of the suite (DESIGN.md §2). State topics are compacted and keyed by aggregate id. */
public final class Topics {

    /** API definitions, keyed by api_id; written by admin-service. */
    public static final Topic APIS = new Topic("gatehouse.apis", 3, true, Map.of());

    /** Policies, keyed by policy id; written by admin-service. */
    public static final Topic POLICIES = new Topic("gatehouse.policies", 3, true, Map.of());

    /**
     * Certificates of {@code /tyk/certs}, keyed by certificate id (private keys sealed); written by
     * admin-service.
     */
    public static final Topic CERTS = new Topic("gatehouse.certs", 3, true, Map.of());

    /** Sessions, keyed by key hash (never the raw key); written by keys-service. */
    public static final Topic KEYS = new Topic("gatehouse.keys", 3, true, Map.of());

    /** OAuth access tokens, keyed by token hash; written by oauth-service. */
    public static final Topic OAUTH_TOKENS = new Topic("gatehouse.oauth-tokens", 3, true, Map.of());

    /** The chained audit log of every change; long retention, broker time. */
    public static final Topic AUDIT =
            new Topic(
                    "gatehouse.audit",
                    1,
                    false,
                    Map.of("retention.ms", "-1", "message.timestamp.type", "LogAppendTime"));

    /** Broadcast commands to every gateway node (group reload). */
    public static final Topic CLUSTER =
            new Topic("gatehouse.cluster", 1, false, Map.of("retention.ms", "3600000"));

    /** Gateway node heartbeats and acknowledgements, keyed by node id. */
    public static final Topic NODES = new Topic("gatehouse.nodes", 1, true, Map.of());

    /** Quota usage deltas from the gateways, keyed by key hash. */
    public static final Topic USAGE =
            new Topic("gatehouse.usage", 3, false, Map.of("retention.ms", "86400000"));

    /**
     * Analytics records from the gateways, in batches keyed by API id (DESIGN §2); kept for days,
     * long enough for the aggregator to catch up after an outage.
     */
    public static final Topic ANALYTICS =
            new Topic("gatehouse.analytics", 3, false, Map.of("retention.ms", "259200000"));

    /** Every topic of the suite. */
    public static final List<Topic> ALL =
            List.of(
                    APIS,
                    POLICIES,
                    CERTS,
                    KEYS,
                    OAUTH_TOKENS,
                    AUDIT,
                    CLUSTER,
                    NODES,
                    USAGE,
                    ANALYTICS);

    private Topics() {}
}
