package gatehouse.contracts.tyk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Merges a key's policies ({@code apply_policies}) into its session, as Tyk's policy service does
 * ({@code internal/policy/apply.go}; COMPAT §4.3). Run on key create/update, on every authenticated
 * request and on {@code GET /tyk/keys/{key}}.
 */
public final class PolicyApplier {

    /** Tyk's errors when policies cannot be applied; the message is Tyk's text. */
    public static final class PolicyException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message Tyk's error text
         */
        public PolicyException(String message) {
            super(message);
        }
    }

    /** Tyk's text when a list mixes {@code per_api} and partitioned policies. */
    public static final String MIXED_PER_API_AND_PARTITIONS =
            "cannot apply multiple policies when some have per_api set and some are partitioned";

    /** Tyk's text when policies were listed but none grants any API. */
    public static final String NO_VALID_POLICIES = "key has no valid policies to be applied";

    /** Tyk's text when a policy's org differs from the API's. */
    public static final String DIFFERENT_ORG =
            "attempting to apply policy from different organisation to key, skipping";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PolicyApplier() {}

    /** {@code partitions}: which parts of the session a policy controls; none set means all. */
    private record Partitions(
            boolean quota, boolean rateLimit, boolean complexity, boolean acl, boolean perApi) {
        static Partitions of(JsonNode partitions) {
            return new Partitions(
                    partitions.path("quota").asBoolean(),
                    partitions.path("rate_limit").asBoolean(),
                    partitions.path("complexity").asBoolean(),
                    partitions.path("acl").asBoolean(),
                    partitions.path("per_api").asBoolean());
        }

        boolean enabled() {
            return quota || rateLimit || complexity || acl;
        }
    }

    /** The policy fields the merge reads. {@code active} is not among them: Tyk ignores it here. */
    private record Policy(
            String id,
            String orgId,
            double rate,
            double per,
            JsonNode smoothing,
            long quotaMax,
            long quotaRenewalRate,
            double throttleInterval,
            long throttleRetryLimit,
            long maxQueryDepth,
            Map<String, JsonNode> accessRights,
            boolean hmacEnabled,
            boolean httpSignatureValidation,
            boolean isInactive,
            List<String> tags,
            String postExpiryAction,
            long postExpiryGracePeriod,
            Partitions partitions,
            String lastUpdated,
            JsonNode metaData) {

        static Policy of(JsonNode doc) {
            Map<String, JsonNode> rights = new LinkedHashMap<>();
            doc.path("access_rights")
                    .properties()
                    .forEach(e -> rights.put(e.getKey(), e.getValue()));
            List<String> tags = new ArrayList<>();
            doc.path("tags").forEach(t -> tags.add(t.asText()));
            return new Policy(
                    doc.path("id").asText(""),
                    doc.path("org_id").asText(""),
                    doc.path("rate").asDouble(),
                    doc.path("per").asDouble(),
                    nonNull(doc.get("smoothing")),
                    doc.path("quota_max").asLong(),
                    doc.path("quota_renewal_rate").asLong(),
                    doc.path("throttle_interval").asDouble(),
                    doc.path("throttle_retry_limit").asLong(),
                    doc.path("max_query_depth").asLong(),
                    rights,
                    doc.path("hmac_enabled").asBoolean(),
                    doc.path("enable_http_signature_validation").asBoolean(),
                    doc.path("is_inactive").asBoolean(),
                    tags,
                    doc.path("post_expiry_action").asText(""),
                    doc.path("post_expiry_grace_period").asLong(),
                    Partitions.of(doc.path("partitions")),
                    doc.path("last_updated").asText(""),
                    doc.path("meta_data"));
        }

        /** The policy-level limit, as an {@code access_rights} {@code limit} object. */
        ObjectNode limit() {
            ObjectNode limit = SessionDocuments.limitWithDefaults(null);
            limit.set("rate", SessionDocuments.number(rate));
            limit.set("per", SessionDocuments.number(per));
            setSmoothing(limit, smoothing);
            limit.put("quota_max", quotaMax);
            limit.put("quota_renewal_rate", quotaRenewalRate);
            limit.set("throttle_interval", SessionDocuments.number(throttleInterval));
            limit.put("throttle_retry_limit", throttleRetryLimit);
            limit.put("max_query_depth", maxQueryDepth);
            return SessionDocuments.limitWithDefaults(limit); // keeps Go's field order
        }
    }

    /** What has been set per API so far, and by whom ({@code SetBy}, never written out). */
    private static final class State {
        final Map<String, ObjectNode> rights = new LinkedHashMap<>();
        final Map<String, String> setBy = new HashMap<>();
        final Set<String> didQuota = new HashSet<>();
        final Set<String> didRateLimit = new HashSet<>();
        final Set<String> didAcl = new HashSet<>();
        final Set<String> didComplexity = new HashSet<>();
        boolean didPerApi;
        boolean didPartition;
    }

    /**
     * Applies a session's policies.
     *
     * <p>The policy ids are {@code apply_policies}, or the legacy {@code apply_policy_id} when that
     * list is empty (Tyk's {@code PolicyIDs}); inline policies in {@code meta_data.policies}
     * replace them when present, as in Tyk. The caller resolves ids in the right scope (the
     * session's org, else the API's).
     *
     * @param session a session document (not modified)
     * @param policies lookup of a policy document (the JSON as stored by /tyk/policies) by policy
     *     id; returns null when unknown
     * @param apiOrgId org of the API in whose context policies are applied (request time), or null
     *     on the control API
     * @return a new session document, with every v5.8 field present, with the policies applied per
     *     COMPAT §4.3
     * @throws PolicyException with Tyk's texts: {@code policy not found: "<id>"}, {@value
     *     #NO_VALID_POLICIES}, {@value #DIFFERENT_ORG}, {@value #MIXED_PER_API_AND_PARTITIONS},
     *     {@code cannot apply policy <id> which has per_api and any of partitions set}
     */
    public static ObjectNode apply(
            ObjectNode session, Function<String, ObjectNode> policies, String apiOrgId) {
        ObjectNode s = SessionDocuments.withDefaults(session);
        // the session's rights before the merge: per-API quota_renews and introspection are read
        // from them
        Map<String, JsonNode> original = new LinkedHashMap<>();
        s.path("access_rights").properties().forEach(e -> original.put(e.getKey(), e.getValue()));
        if (!s.path("meta_data").isObject()) {
            s.set("meta_data", NODES.objectNode());
        }
        ObjectNode metaData = (ObjectNode) s.get("meta_data");

        List<String> ids = policyIds(s);
        clear(s, ids, policies);

        // Inline policies replace the id list; resolved[i] == null marks an unknown id.
        List<Policy> inline = inlinePolicies(metaData);
        List<String> names = new ArrayList<>();
        List<Policy> resolved = new ArrayList<>();
        if (inline != null) {
            inline.forEach(
                    p -> {
                        names.add(p.id());
                        resolved.add(p);
                    });
        } else if (ids != null) {
            for (String id : ids) {
                ObjectNode doc = policies.apply(id);
                names.add(id);
                resolved.add(doc == null ? null : Policy.of(doc));
            }
        }
        boolean listed = inline != null || ids != null;

        // Only the policies decide whether the key is active; without policies the key's own flag
        // stays.
        boolean inactive = resolved.isEmpty() && s.path("is_inactive").asBoolean();
        State state = new State();
        Set<String> policyTags = new LinkedHashSet<>();

        for (int i = 0; i < resolved.size(); i++) {
            Policy policy = resolved.get(i);
            if (policy == null) {
                if (resolved.size() > 1) {
                    continue;
                }
                throw new PolicyException("policy not found: " + goQuote(names.get(i)));
            }
            // a policy of another org could otherwise widen a key's rights
            if (apiOrgId != null && !policy.orgId().equals(apiOrgId)) {
                throw new PolicyException(DIFFERENT_ORG);
            }
            if (policy.partitions().perApi() && policy.partitions().enabled()) {
                throw new PolicyException(
                        "cannot apply policy "
                                + policy.id()
                                + " which has per_api and any of partitions set");
            }
            if (policy.partitions().perApi()) {
                applyPerApi(policy, original, state);
            } else {
                applyPartitions(policy, s, original, state);
            }

            inactive = inactive || policy.isInactive();
            policyTags.addAll(policy.tags());
            policy.metaData()
                    .properties()
                    .forEach(e -> metaData.set(e.getKey(), e.getValue().deepCopy()));
            if (policy.lastUpdated().compareTo(s.path("last_updated").asText("")) > 0) {
                s.put("last_updated", policy.lastUpdated());
            }
            if (!policy.postExpiryAction().isEmpty()) {
                s.put("post_expiry_action", policy.postExpiryAction());
            }
            if (policy.postExpiryGracePeriod() != 0) {
                s.put("post_expiry_grace_period", policy.postExpiryGracePeriod());
            }
        }

        s.put("is_inactive", inactive);
        // Tyk always writes a list here, deduplicated (its order is random in Tyk; the key's own
        // tags come first here)
        Set<String> tags = new LinkedHashSet<>();
        s.path("tags").forEach(t -> tags.add(t.asText()));
        tags.addAll(policyTags);
        ArrayNode tagArray = s.putArray("tags");
        tags.forEach(tagArray::add);

        if (resolved.isEmpty() && s.get("access_rights") instanceof ObjectNode rights) {
            // keys without policies count each API's own limit separately
            rights.properties()
                    .forEach(
                            e -> {
                                if (e.getValue() instanceof ObjectNode right
                                        && !limitIsEmpty(right.path("limit"))) {
                                    right.put("allowance_scope", e.getKey());
                                }
                            });
        }

        finishRights(s, state);
        mirrorSingleApi(s, state);

        if (!state.didAcl.isEmpty()) {
            ObjectNode rights = NODES.objectNode();
            new TreeMap<>(state.rights).forEach(rights::set);
            s.set("access_rights", rights);
        }
        if (state.rights.isEmpty() && listed) {
            throw new PolicyException(NO_VALID_POLICIES);
        }
        return SessionDocuments.withDefaults(
                s); // Go's field order and sorted maps again after the edits
    }

    /**
     * Tyk's {@code PolicyIDs}: {@code apply_policies}, else the legacy single id, else none (null).
     */
    private static List<String> policyIds(ObjectNode s) {
        List<String> ids = new ArrayList<>();
        s.path("apply_policies").forEach(id -> ids.add(id.asText()));
        if (!ids.isEmpty()) {
            return ids;
        }
        String legacy = s.path("apply_policy_id").asText("");
        return legacy.isEmpty() ? null : List.of(legacy);
    }

    /**
     * Step 1: zero the session values the policies control, so that a policy's lower value still
     * wins over the key's own. Stops at the first unknown policy (only a warning in Tyk).
     */
    private static void clear(
            ObjectNode s, List<String> ids, Function<String, ObjectNode> policies) {
        if (ids == null) {
            return;
        }
        for (String id : ids) {
            ObjectNode doc = policies.apply(id);
            if (doc == null) {
                return;
            }
            Partitions p = Partitions.of(doc.path("partitions"));
            boolean all = !p.enabled();
            if (p.quota() || all) {
                s.put("quota_max", 0L);
                s.put("quota_remaining", 0L);
            }
            if (p.rateLimit() || all) {
                s.put("rate", 0L);
                s.put("per", 0L);
                s.set("smoothing", NullNode.getInstance());
                s.put("throttle_retry_limit", 0L);
                s.put("throttle_interval", 0L);
            }
            if (p.complexity() || all) {
                s.put("max_query_depth", 0L);
            }
        }
    }

    /**
     * Tyk's custom policies: a list of policy objects in {@code meta_data.policies}, used instead
     * of the ids.
     */
    private static List<Policy> inlinePolicies(ObjectNode metaData) {
        if (!(metaData.get("policies") instanceof ArrayNode list)) {
            return null;
        }
        List<Policy> inline = new ArrayList<>();
        for (JsonNode item : list) {
            if (!item.isObject() && !item.isNull()) {
                return null; // Tyk fails to decode these and falls back to the ids
            }
            inline.add(Policy.of(item));
        }
        return inline;
    }

    /**
     * Step 6: a {@code per_api} policy brings each API's own limit (or the policy's, when the API
     * has none).
     */
    private static void applyPerApi(Policy policy, Map<String, JsonNode> original, State state) {
        if (state.didPartition) {
            throw new PolicyException(MIXED_PER_API_AND_PARTITIONS);
        }
        policy.accessRights()
                .forEach(
                        (apiId, definition) -> {
                            ObjectNode right =
                                    SessionDocuments.accessDefinitionWithDefaults(definition);
                            String scope = apiId;
                            if (limitIsEmpty(right.path("limit"))) {
                                scope = policy.id();
                                right.set("limit", policy.limit());
                            }
                            right.put("allowance_scope", scope);
                            String setBy = scope;
                            JsonNode existing = original.get(apiId);
                            if (existing != null && !limitIsEmpty(existing.path("limit"))) {
                                limit(right)
                                        .put(
                                                "quota_renews",
                                                existing.path("limit")
                                                        .path("quota_renews")
                                                        .asLong());
                            }
                            if (existing != null
                                    && existing.path("disable_introspection").asBoolean()) {
                                right.put("disable_introspection", true);
                            }
                            ObjectNode current = state.rights.get(apiId);
                            if (current != null) {
                                setBy =
                                        mergeApiLevelLimits(
                                                right, setBy, current, state.setBy.get(apiId));
                            }
                            state.rights.put(apiId, right);
                            state.setBy.put(apiId, setBy);
                            state.didAcl.add(apiId);
                            state.didQuota.add(apiId);
                            state.didRateLimit.add(apiId);
                            state.didComplexity.add(apiId);
                        });
        if (!policy.accessRights().isEmpty()) {
            state.didPerApi = true;
        }
    }

    /**
     * Two {@code per_api} policies for one API: keep the higher rate and the larger quota. Returns
     * who set the result ({@code SetBy}).
     */
    private static String mergeApiLevelLimits(
            ObjectNode incoming, String incomingSetBy, ObjectNode current, String currentSetBy) {
        ObjectNode in = limit(incoming);
        JsonNode cur = current.path("limit");
        boolean updated = false;
        if (duration(in) > duration(cur)) {
            in.set("rate", cur.path("rate").deepCopy());
            in.set("per", cur.path("per").deepCopy());
            setSmoothing(in, cur.get("smoothing"));
            updated = true;
        }
        long curQuota = cur.path("quota_max").asLong();
        if (curQuota != in.path("quota_max").asLong()
                && greater(curQuota, in.path("quota_max").asLong())) {
            in.put("quota_max", curQuota);
            updated = true;
        }
        if (greater(
                cur.path("quota_renewal_rate").asLong(), in.path("quota_renewal_rate").asLong())) {
            in.put("quota_renewal_rate", cur.path("quota_renewal_rate").asLong());
        }
        if (in.path("quota_max").asLong() == -1) {
            in.put("quota_renewal_rate", 0L); // an unlimited quota never renews
        }
        String setBy = incomingSetBy;
        if (updated) {
            setBy = currentSetBy;
            incoming.set("allowance_scope", current.path("allowance_scope").deepCopy());
        }
        setEndpoints(incoming, mergeEndpoints(incoming.get("endpoints"), current.get("endpoints")));
        return setBy;
    }

    /**
     * Step 5: a non-partitioned or partitioned policy, API by API; step 5's master policy when it
     * lists none.
     */
    private static void applyPartitions(
            Policy policy, ObjectNode s, Map<String, JsonNode> original, State state) {
        Partitions parts = policy.partitions();
        boolean usePartitions = parts.enabled();
        if (usePartitions && state.didPerApi) {
            throw new PolicyException(MIXED_PER_API_AND_PARTITIONS);
        }
        // every API the policy names is known before merging, so a later ACL policy still counts
        policy.accessRights()
                .keySet()
                .forEach(
                        apiId ->
                                state.rights.computeIfAbsent(
                                        apiId,
                                        k -> SessionDocuments.accessDefinitionWithDefaults(null)));

        policy.accessRights()
                .forEach(
                        (apiId, definition) -> {
                            ObjectNode right = state.rights.get(apiId).deepCopy();
                            ObjectNode limit = limit(right);

                            if (!usePartitions || parts.acl()) {
                                state.didAcl.add(apiId);
                                mergeAcl(
                                        right,
                                        SessionDocuments.accessDefinitionWithDefaults(definition));
                                state.setBy.put(apiId, policy.id());
                            }

                            if (!usePartitions || parts.quota()) {
                                state.didQuota.add(apiId);
                                if (greater(policy.quotaMax(), limit.path("quota_max").asLong())) {
                                    limit.put("quota_max", policy.quotaMax());
                                    if (greater(policy.quotaMax(), s.path("quota_max").asLong())) {
                                        s.put("quota_max", policy.quotaMax());
                                    }
                                }
                                if (policy.quotaRenewalRate()
                                        > limit.path("quota_renewal_rate").asLong()) {
                                    limit.put("quota_renewal_rate", policy.quotaRenewalRate());
                                    if (policy.quotaRenewalRate()
                                            > s.path("quota_renewal_rate").asLong()) {
                                        s.put("quota_renewal_rate", policy.quotaRenewalRate());
                                    }
                                }
                            }

                            if (!usePartitions || parts.rateLimit()) {
                                state.didRateLimit.add(apiId);
                                applyRateLimits(s, policy, limit);
                                setEndpoints(
                                        right,
                                        mergeEndpoints(
                                                definition.get("endpoints"),
                                                right.get("endpoints")));
                                if (policy.throttleRetryLimit()
                                        > limit.path("throttle_retry_limit").asLong()) {
                                    limit.put("throttle_retry_limit", policy.throttleRetryLimit());
                                    if (policy.throttleRetryLimit()
                                            > s.path("throttle_retry_limit").asLong()) {
                                        s.put("throttle_retry_limit", policy.throttleRetryLimit());
                                    }
                                }
                                if (policy.throttleInterval()
                                        > limit.path("throttle_interval").asDouble()) {
                                    limit.set(
                                            "throttle_interval",
                                            SessionDocuments.number(policy.throttleInterval()));
                                    if (policy.throttleInterval()
                                            > s.path("throttle_interval").asDouble()) {
                                        s.set(
                                                "throttle_interval",
                                                SessionDocuments.number(policy.throttleInterval()));
                                    }
                                }
                            }

                            if (!usePartitions || parts.complexity()) {
                                state.didComplexity.add(apiId);
                                if (greater(
                                        policy.maxQueryDepth(),
                                        limit.path("max_query_depth").asLong())) {
                                    limit.put("max_query_depth", policy.maxQueryDepth());
                                    if (greater(
                                            policy.maxQueryDepth(),
                                            s.path("max_query_depth").asLong())) {
                                        s.put("max_query_depth", policy.maxQueryDepth());
                                    }
                                }
                            }

                            // the quota period already running for this API carries on
                            JsonNode existing = original.get(apiId);
                            if (existing != null && !limitIsEmpty(existing.path("limit"))) {
                                limit.put(
                                        "quota_renews",
                                        existing.path("limit").path("quota_renews").asLong());
                            }
                            state.rights.put(apiId, right);
                        });

        if (policy.accessRights().isEmpty()) {
            // a master policy sets the key-wide values directly
            if (!usePartitions || parts.rateLimit()) {
                s.set("rate", SessionDocuments.number(policy.rate()));
                s.set("per", SessionDocuments.number(policy.per()));
                s.set(
                        "smoothing",
                        policy.smoothing() == null
                                ? NullNode.getInstance()
                                : policy.smoothing().deepCopy());
                s.set("throttle_interval", SessionDocuments.number(policy.throttleInterval()));
                s.put("throttle_retry_limit", policy.throttleRetryLimit());
            }
            if (!usePartitions || parts.complexity()) {
                s.put("max_query_depth", policy.maxQueryDepth());
            }
            if (!usePartitions || parts.quota()) {
                s.put("quota_max", policy.quotaMax());
                s.put("quota_renewal_rate", policy.quotaRenewalRate());
            }
        }

        if (!s.path("hmac_enabled").asBoolean()) {
            s.put("hmac_enabled", policy.hmacEnabled());
        }
        if (!s.path("enable_http_signature_validation").asBoolean()) {
            s.put("enable_http_signature_validation", policy.httpSignatureValidation());
        }
        state.didPartition = usePartitions;
    }

    /**
     * Step 5 ACL: union of versions, allowed URLs (methods unioned per URL) and GraphQL types and
     * fields.
     */
    private static void mergeAcl(ObjectNode right, ObjectNode incoming) {
        if (incoming.path("disable_introspection").asBoolean()) {
            right.put("disable_introspection", true);
        }
        List<String> versions = strings(right.get("versions"));
        appendMissing(versions, strings(incoming.get("versions")));
        right.set("versions", versions.isEmpty() ? NullNode.getInstance() : stringArray(versions));
        right.set(
                "allowed_urls",
                mergeAllowedUrls(right.get("allowed_urls"), incoming.get("allowed_urls")));
        right.set(
                "restricted_types",
                mergeTypes(right.get("restricted_types"), incoming.get("restricted_types")));
        right.set(
                "allowed_types",
                mergeTypes(right.get("allowed_types"), incoming.get("allowed_types")));
        right.set(
                "field_access_rights",
                mergeFieldAccess(
                        right.get("field_access_rights"), incoming.get("field_access_rights")));
    }

    /**
     * Allowed URLs merged by URL, in first-seen order, methods unioned; null (as Go's nil) when
     * none.
     */
    static JsonNode mergeAllowedUrls(JsonNode first, JsonNode second) {
        Map<String, JsonNode> merged = new LinkedHashMap<>();
        for (JsonNode source : new JsonNode[] {first, second}) {
            if (source == null) {
                continue;
            }
            for (JsonNode spec : source) {
                String url = spec.path("url").asText("");
                JsonNode methods = merged.get(url);
                if (!merged.containsKey(url)) {
                    merged.put(
                            url,
                            spec.path("methods").isArray()
                                    ? spec.get("methods").deepCopy()
                                    : NullNode.getInstance());
                } else {
                    List<String> union = strings(methods);
                    appendMissing(union, strings(spec.get("methods")));
                    merged.put(
                            url,
                            union.isEmpty() && !methods.isArray()
                                    ? NullNode.getInstance()
                                    : stringArray(union));
                }
            }
        }
        if (merged.isEmpty()) {
            return NullNode.getInstance();
        }
        ArrayNode out = NODES.arrayNode();
        merged.forEach((url, methods) -> out.addObject().put("url", url).set("methods", methods));
        return out;
    }

    /** GraphQL types: a type named in both gets the union of its fields; new types are appended. */
    private static JsonNode mergeTypes(JsonNode current, JsonNode incoming) {
        if (current == null || current.isEmpty()) {
            return incoming == null ? NullNode.getInstance() : incoming.deepCopy();
        }
        ArrayNode out = current.deepCopy();
        if (incoming == null) {
            return out;
        }
        for (JsonNode type : incoming) {
            ObjectNode match = null;
            for (JsonNode existing : out) {
                if (existing.path("name").asText("").equals(type.path("name").asText(""))) {
                    match = (ObjectNode) existing;
                    break;
                }
            }
            if (match == null) {
                out.add(type.deepCopy());
            } else {
                List<String> fields = strings(match.get("fields"));
                appendMissing(fields, strings(type.get("fields")));
                match.set("fields", stringArray(fields));
            }
        }
        return out;
    }

    /**
     * Field access rights: the same type and field keeps the greater depth (-1 = unlimited wins).
     */
    private static JsonNode mergeFieldAccess(JsonNode current, JsonNode incoming) {
        if (current == null || current.isEmpty()) {
            return incoming == null ? NullNode.getInstance() : incoming.deepCopy();
        }
        ArrayNode out = current.deepCopy();
        if (incoming == null) {
            return out;
        }
        for (JsonNode field : incoming) {
            boolean exists = false;
            for (JsonNode existing : out) {
                if (existing.path("type_name").asText("").equals(field.path("type_name").asText(""))
                        && existing.path("field_name")
                                .asText("")
                                .equals(field.path("field_name").asText(""))) {
                    exists = true;
                    long depth = field.path("limits").path("max_query_depth").asLong();
                    if (greater(depth, existing.path("limits").path("max_query_depth").asLong())) {
                        ObjectNode limits = NODES.objectNode().put("max_query_depth", depth);
                        ((ObjectNode) existing).set("limits", limits);
                    }
                }
            }
            if (!exists) {
                out.add(field.deepCopy());
            }
        }
        return out;
    }

    /**
     * Tyk's {@code ApplyRateLimits}: the policy's rate replaces the API's and the key's when those
     * are empty or allow fewer requests (a longer interval between requests).
     */
    private static void applyRateLimits(ObjectNode s, Policy policy, ObjectNode apiLimit) {
        if (policy.rate() == 0 || policy.per() == 0) {
            return;
        }
        long policyDuration = duration(policy.rate(), policy.per());
        if (emptyRate(apiLimit) || duration(apiLimit) > policyDuration) {
            apiLimit.set("rate", SessionDocuments.number(policy.rate()));
            apiLimit.set("per", SessionDocuments.number(policy.per()));
            setSmoothing(apiLimit, policy.smoothing());
        }
        if (emptyRate(s) || duration(s) > policyDuration) {
            s.set("rate", SessionDocuments.number(policy.rate()));
            s.set("per", SessionDocuments.number(policy.per()));
            s.set(
                    "smoothing",
                    policy.smoothing() == null
                            ? NullNode.getInstance()
                            : policy.smoothing().deepCopy());
        }
    }

    /**
     * Endpoint limit key: method and path (Tyk joins them with ':', which loses paths containing
     * ':').
     */
    private record EndpointKey(String method, String path) {}

    /**
     * Tyk's {@code ApplyEndpointLevelLimits}: per method and path the limit allowing more requests
     * wins (on equal intervals, the higher rate). The result is sorted by path, methods by
     * upper-cased name.
     *
     * @return the merged endpoints, or null when there are none
     */
    static JsonNode mergeEndpoints(JsonNode policyEndpoints, JsonNode currentEndpoints) {
        Map<EndpointKey, JsonNode> current = endpointMap(currentEndpoints);
        if (current.isEmpty()) {
            return policyEndpoints == null || policyEndpoints.isNull()
                    ? null
                    : policyEndpoints.deepCopy();
        }
        Map<EndpointKey, JsonNode> result = endpointMap(policyEndpoints);
        if (!result.isEmpty()) {
            current.forEach(
                    (key, currentLimit) -> {
                        JsonNode policyLimit = result.get(key);
                        if (policyLimit == null) {
                            result.put(key, currentLimit);
                            return;
                        }
                        long policyDuration = duration(policyLimit);
                        long currentDuration = duration(currentLimit);
                        if (policyDuration > currentDuration
                                || (policyDuration == currentDuration
                                        && currentLimit.path("rate").asDouble()
                                                > policyLimit.path("rate").asDouble())) {
                            result.put(key, currentLimit);
                        }
                    });
        } else {
            result.putAll(current);
        }
        Map<String, List<Map.Entry<EndpointKey, JsonNode>>> byPath = new TreeMap<>();
        result.entrySet()
                .forEach(
                        e ->
                                byPath.computeIfAbsent(e.getKey().path(), p -> new ArrayList<>())
                                        .add(e));
        ArrayNode out = NODES.arrayNode();
        byPath.forEach(
                (path, methods) -> {
                    methods.sort(
                            (a, b) ->
                                    a.getKey()
                                            .method()
                                            .toUpperCase()
                                            .compareTo(b.getKey().method().toUpperCase()));
                    ObjectNode endpoint = out.addObject();
                    if (!path.isEmpty()) {
                        endpoint.put("path", path);
                    }
                    ArrayNode methodArray = endpoint.putArray("methods");
                    methods.forEach(
                            m -> {
                                ObjectNode method = methodArray.addObject();
                                if (!m.getKey().method().isEmpty()) {
                                    method.put("name", m.getKey().method());
                                }
                                method.set("limit", m.getValue().deepCopy());
                            });
                });
        return out;
    }

    private static Map<EndpointKey, JsonNode> endpointMap(JsonNode endpoints) {
        Map<EndpointKey, JsonNode> map = new LinkedHashMap<>();
        if (endpoints == null) {
            return map;
        }
        for (JsonNode endpoint : endpoints) {
            for (JsonNode method : endpoint.path("methods")) {
                ObjectNode limit = NODES.objectNode();
                limit.set(
                        "rate",
                        SessionDocuments.number(method.path("limit").path("rate").asDouble()));
                limit.set(
                        "per",
                        SessionDocuments.number(method.path("limit").path("per").asDouble()));
                setSmoothing(limit, method.path("limit").get("smoothing"));
                map.put(
                        new EndpointKey(
                                method.path("name").asText(""), endpoint.path("path").asText("")),
                        limit);
            }
        }
        return map;
    }

    /**
     * Steps 8 and 9: drop APIs no policy granted, fill what no policy set from the key, scope
     * counters per policy.
     */
    private static void finishRights(ObjectNode s, State state) {
        Set<String> distinctSetters = new HashSet<>();
        state.rights
                .keySet()
                .forEach(
                        apiId -> {
                            String setBy = state.setBy.getOrDefault(apiId, "");
                            if (!setBy.isEmpty()) {
                                distinctSetters.add(setBy);
                            }
                        });
        state.rights.keySet().removeIf(apiId -> !state.didAcl.contains(apiId));
        state.rights.forEach(
                (apiId, right) -> {
                    ObjectNode limit = limit(right);
                    if (!state.didRateLimit.contains(apiId)) {
                        limit.set("rate", s.path("rate").deepCopy());
                        limit.set("per", s.path("per").deepCopy());
                        setSmoothing(limit, s.get("smoothing"));
                        limit.set("throttle_interval", s.path("throttle_interval").deepCopy());
                        limit.set(
                                "throttle_retry_limit", s.path("throttle_retry_limit").deepCopy());
                        right.remove("endpoints");
                    }
                    if (!state.didComplexity.contains(apiId)) {
                        limit.set("max_query_depth", s.path("max_query_depth").deepCopy());
                    }
                    if (!state.didQuota.contains(apiId)) {
                        limit.set("quota_max", s.path("quota_max").deepCopy());
                        limit.set("quota_renewal_rate", s.path("quota_renewal_rate").deepCopy());
                        limit.set("quota_renews", s.path("quota_renews").deepCopy());
                    }
                    String setBy = state.setBy.getOrDefault(apiId, "");
                    if (distinctSetters.size() > 1
                            && right.path("allowance_scope").asText("").isEmpty()
                            && !setBy.isEmpty()) {
                        right.put("allowance_scope", setBy);
                    }
                    right.set(
                            "limit",
                            SessionDocuments.limitWithDefaults(limit)); // Go's field order again
                });
    }

    /**
     * Step 10 (legacy): when the policies set limits for a single API, the key-wide values mirror
     * it.
     */
    private static void mirrorSingleApi(ObjectNode s, State state) {
        if (state.didQuota.size() != 1
                || state.didRateLimit.size() != 1
                || state.didComplexity.size() != 1) {
            return;
        }
        for (ObjectNode right : state.rights.values()) {
            JsonNode limit = right.path("limit");
            s.set("rate", limit.path("rate").deepCopy());
            s.set("per", limit.path("per").deepCopy());
            s.set(
                    "smoothing",
                    limit.hasNonNull("smoothing")
                            ? limit.get("smoothing").deepCopy()
                            : NullNode.getInstance());
            s.set("quota_max", limit.path("quota_max").deepCopy());
            s.set("quota_renews", limit.path("quota_renews").deepCopy());
            s.set("quota_renewal_rate", limit.path("quota_renewal_rate").deepCopy());
            s.set("max_query_depth", limit.path("max_query_depth").deepCopy());
        }
    }

    private static ObjectNode limit(ObjectNode right) {
        if (!(right.get("limit") instanceof ObjectNode)) {
            right.set("limit", SessionDocuments.limitWithDefaults(null));
        }
        return (ObjectNode) right.get("limit");
    }

    /** Tyk's {@code APILimit.IsEmpty}: every number zero (smoothing does not count). */
    private static boolean limitIsEmpty(JsonNode limit) {
        for (String field :
                List.of(
                        "rate",
                        "per",
                        "throttle_interval",
                        "throttle_retry_limit",
                        "max_query_depth",
                        "quota_max",
                        "quota_renews",
                        "quota_remaining",
                        "quota_renewal_rate")) {
            if (limit.path(field).asDouble() != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean emptyRate(JsonNode limit) {
        return limit.path("rate").asDouble() == 0 || limit.path("per").asDouble() == 0;
    }

    private static long duration(JsonNode limit) {
        return duration(limit.path("rate").asDouble(), limit.path("per").asDouble());
    }

    /**
     * Nanoseconds between two allowed requests, truncated as Go's {@code time.Duration}; 0 when
     * unlimited.
     */
    private static long duration(double rate, double per) {
        if (per <= 0 || rate <= 0) {
            return 0;
        }
        return (long) (1e9 * per / rate);
    }

    /** Tyk's {@code greaterThanInt64}: -1 means unlimited and beats everything. */
    private static boolean greater(long first, long second) {
        if (first == -1) {
            return true;
        }
        if (second == -1) {
            return false;
        }
        return first > second;
    }

    private static void setSmoothing(ObjectNode limit, JsonNode smoothing) {
        if (smoothing == null || smoothing.isNull() || smoothing.isMissingNode()) {
            limit.remove("smoothing"); // omitempty in the per-API limit
        } else {
            limit.set("smoothing", smoothing.deepCopy());
        }
    }

    private static void setEndpoints(ObjectNode right, JsonNode endpoints) {
        if (endpoints == null || endpoints.isNull() || endpoints.isEmpty()) {
            right.remove("endpoints"); // omitempty
        } else {
            right.set("endpoints", endpoints);
        }
    }

    private static JsonNode nonNull(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(item -> out.add(item.asText()));
        }
        return out;
    }

    private static void appendMissing(List<String> target, Collection<String> items) {
        items.stream().filter(item -> !target.contains(item)).forEach(target::add);
    }

    private static ArrayNode stringArray(List<String> items) {
        ArrayNode out = NODES.arrayNode();
        items.forEach(out::add);
        return out;
    }

    /** Go's {@code %q} for the ids Tyk quotes in its "policy not found" error. */
    static String goQuote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
