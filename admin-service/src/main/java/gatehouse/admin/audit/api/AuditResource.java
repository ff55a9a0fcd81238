package gatehouse.admin.audit.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.admin.audit.domain.AuditQuery;
import gatehouse.admin.audit.messaging.AuditTopicReader;
import gatehouse.contracts.audit.AuditCheckpoint;
import gatehouse.contracts.audit.AuditCheckpointing;
import gatehouse.contracts.audit.AuditRecord;
import gatehouse.contracts.audit.AuditReplay;
import gatehouse.contracts.audit.AuditVerification;
import gatehouse.contracts.audit.AuditVerifier;
import gatehouse.contracts.http.OwnerCalls;
import gatehouse.contracts.http.TykResponses;
import gatehouse.contracts.tyk.StatusMessage;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The audit log's reader (ADR 0010), on the control API with the admin secret: entries by time,
 * resource, actor and action, newest first; the configuration as it was at an instant, rebuilt from
 * the topic alone; and the check of every owner's chain against its signed checkpoints. Needs Kafka
 * and, for the checkpoints, the owners; never a database but this service's own checkpoints.
 */
@Path("/tyk/audit")
public class AuditResource {

    private static final Logger LOGGER = Logger.getLogger(AuditResource.class);
    private static final int MAX_PAGE_SIZE = 1000;

    private final AuditTopicReader reader;
    private final AuditCheckpointing checkpointing;
    private final Map<String, URI> otherOwners = new LinkedHashMap<>();
    private final Optional<String> publicKey;
    private final String adminSecret;
    private final Duration slack;
    private final HttpClient client;

    AuditResource(
            AuditTopicReader reader,
            AuditCheckpointing checkpointing,
            Vertx vertx,
            @ConfigProperty(name = "gatehouse.owners.keys.url") Optional<URI> keys,
            @ConfigProperty(name = "gatehouse.owners.oauth.url") Optional<URI> oauth,
            @ConfigProperty(name = "gatehouse.audit.public-key") Optional<String> publicKey,
            @ConfigProperty(name = "gatehouse.admin-secret") String adminSecret,
            @ConfigProperty(name = "gatehouse.audit.publication-slack", defaultValue = "5m")
                    Duration slack) {
        this.reader = reader;
        this.checkpointing = checkpointing;
        keys.ifPresent(url -> otherOwners.put("keys-service", url));
        oauth.ifPresent(url -> otherOwners.put("oauth-service", url));
        this.publicKey = publicKey.filter(key -> !key.isBlank());
        this.adminSecret = adminSecret;
        this.slack = slack;
        this.client = vertx.createHttpClient();
    }

    /** {@code /tyk/audit} itself: the entries, as {@code /tyk/audit/events}. */
    @GET
    public Uni<Response> index(
            @QueryParam("since") String since,
            @QueryParam("until") String until,
            @QueryParam("resource_type") String resourceType,
            @QueryParam("resource_id") String resourceId,
            @QueryParam("actor") String actor,
            @QueryParam("action") String action,
            @QueryParam("outcome") String outcome,
            @QueryParam("owner") String owner,
            @QueryParam("p") String page,
            @QueryParam("page_size") String pageSize) {
        return events(
                since,
                until,
                resourceType,
                resourceId,
                actor,
                action,
                outcome,
                owner,
                page,
                pageSize);
    }

    /** Entries, newest first: {@code {"events", "page", "pages", "total"}}. */
    @GET
    @Path("/events")
    public Uni<Response> events(
            @QueryParam("since") String since,
            @QueryParam("until") String until,
            @QueryParam("resource_type") String resourceType,
            @QueryParam("resource_id") String resourceId,
            @QueryParam("actor") String actor,
            @QueryParam("action") String action,
            @QueryParam("outcome") String outcome,
            @QueryParam("owner") String owner,
            @QueryParam("p") String page,
            @QueryParam("page_size") String pageSize) {
        Instant from;
        Instant to;
        int p;
        int size;
        try {
            from = instant("since", since);
            to = instant("until", until);
            p = number("p", page, 1, Integer.MAX_VALUE, 1);
            size = number("page_size", pageSize, 1, MAX_PAGE_SIZE, 50);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom()
                    .item(TykResponses.json(400, StatusMessage.error(e.getMessage())));
        }
        var query =
                new AuditQuery(
                        from, to, resourceType, resourceId, actor, action, outcome, owner, p, size);
        return blocking(
                () -> {
                    AuditQuery.Page collected = query.collect();
                    // commit time is at or before append time: seek from the window's start
                    reader.scan(
                            from,
                            to == null ? null : to.plus(slack),
                            record -> {
                                if (record.event() != null) {
                                    collected.offer(record.event());
                                }
                            });
                    ObjectNode body = JsonNodeFactory.instance.objectNode();
                    var list = body.putArray("events");
                    collected.entries().forEach(event -> list.add(event.toJson(true)));
                    body.put("page", p);
                    body.put("pages", collected.pages());
                    body.put("total", collected.total());
                    return TykResponses.json(200, body);
                });
    }

    /**
     * The state of every API, policy, key (metadata) and OAuth client (no secret) at {@code at}.
     */
    @GET
    @Path("/state")
    public Uni<Response> state(@QueryParam("at") String at) {
        Instant instant;
        try {
            instant = instant("at", at);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom()
                    .item(TykResponses.json(400, StatusMessage.error(e.getMessage())));
        }
        Instant when = instant == null ? Instant.now() : instant;
        return blocking(
                () -> {
                    long started = System.nanoTime();
                    AuditReplay replay = new AuditReplay(when);
                    // a change committed by T is appended by T + the publication delay (outbox)
                    long read =
                            reader.scan(
                                    null,
                                    when.plus(slack),
                                    record -> {
                                        if (record.event() != null) {
                                            replay.accept(record.event());
                                        }
                                    });
                    ObjectNode body = replay.state();
                    body.put("entries_read", read);
                    body.put("replay_ms", (System.nanoTime() - started) / 1_000_000);
                    return TykResponses.json(200, body);
                });
    }

    /** Checks every chain and checkpoint: {@code "status": "intact"} or {@code "broken"}. */
    @GET
    @Path("/verify")
    public Uni<Response> verify() {
        return checkpoints()
                .flatMap(
                        gathered ->
                                blocking(
                                        () -> {
                                            List<AuditRecord> records = new ArrayList<>();
                                            reader.scan(null, null, records::add);
                                            String key =
                                                    publicKey.orElse(checkpointing.publicKey());
                                            List<String> unavailable =
                                                    new ArrayList<>(gathered.unavailable());
                                            List<AuditCheckpoint> checkpoints =
                                                    gathered.checkpoints();
                                            if (key == null) {
                                                unavailable.add(
                                                        "all: no audit public key configured");
                                                checkpoints = List.of();
                                            }
                                            AuditVerification report =
                                                    AuditVerifier.verify(
                                                            records, checkpoints, key, unavailable);
                                            if (!report.intact()) {
                                                LOGGER.warnf(
                                                        "audit log broken: %s",
                                                        report.firstBroken().message());
                                            }
                                            ObjectNode body = report.toJson();
                                            body.put("public_key", key);
                                            return TykResponses.json(200, body);
                                        }));
    }

    /** The Ed25519 public key checkpoints are verified with. */
    @GET
    @Path("/public-key")
    public Response publicKey() {
        String key = publicKey.orElse(checkpointing.publicKey());
        if (key == null) {
            return TykResponses.json(404, StatusMessage.error("no audit signing key configured"));
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("algorithm", "Ed25519");
        body.put("public_key", key);
        return TykResponses.json(200, body);
    }

    private record Gathered(List<AuditCheckpoint> checkpoints, List<String> unavailable) {}

    /** Every owner's checkpoints; an owner that cannot answer is named, not fatal. */
    private Uni<Gathered> checkpoints() {
        List<AuditCheckpoint> all = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> unavailable = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Uni<Void>> reads = new ArrayList<>();
        reads.add(
                checkpointing
                        .newest(1000)
                        .invoke(all::addAll)
                        .onFailure()
                        .invoke(f -> unavailable.add("admin-service: " + f.getMessage()))
                        .onFailure()
                        .recoverWithNull()
                        .replaceWithVoid());
        otherOwners.forEach(
                (name, url) ->
                        reads.add(
                                OwnerCalls.getObject(
                                                client,
                                                url,
                                                name,
                                                "/gatehouse/audit/checkpoints",
                                                adminSecret,
                                                Duration.ofSeconds(5))
                                        .invoke(
                                                body -> {
                                                    if (body == null) {
                                                        unavailable.add(name + ": no checkpoints");
                                                        return;
                                                    }
                                                    body.withArray("checkpoints")
                                                            .forEach(
                                                                    node ->
                                                                            all.add(
                                                                                    AuditCheckpoint
                                                                                            .fromJson(
                                                                                                    node)));
                                                })
                                        .onFailure()
                                        .invoke(f -> unavailable.add(name + ": " + f.getMessage()))
                                        .onFailure()
                                        .recoverWithNull()
                                        .replaceWithVoid()));
        return Uni.join()
                .all(reads)
                .andCollectFailures()
                .map(ignored -> new Gathered(List.copyOf(all), List.copyOf(unavailable)));
    }

    private static Uni<Response> blocking(Supplier<Response> work) {
        return Uni.createFrom()
                .item(work)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(AuditTopicReader.LogUnavailableException.class)
                .recoverWithItem(
                        failure ->
                                TykResponses.json(503, StatusMessage.error(failure.getMessage())));
    }

    private static Instant instant(String name, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    name + " must be an ISO-8601 instant, e.g. 2026-12-02T10:00:00Z");
        }
    }

    private static int number(String name, String text, int min, int max, int fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a number from " + min + " to " + max);
    }
}
