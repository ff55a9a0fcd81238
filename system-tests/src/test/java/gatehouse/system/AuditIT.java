package gatehouse.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gatehouse.contracts.audit.AuditChain;
import gatehouse.contracts.audit.AuditEvent;
import gatehouse.contracts.audit.AuditRecord;
import gatehouse.contracts.events.Topics;
import gatehouse.contracts.keys.KeyDigest;
import gatehouse.local.Suite;
import gatehouse.testsupport.TestInfrastructure;
import gatehouse.testsupport.TopicRecords;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit log against the real suite: random mutations across the three owners with an owner
 * killed (SIGKILL) at random points; then exactly one entry per committed change (compared with the
 * databases' versions), no raw key or client secret anywhere on the topic, the state rebuilt at
 * recorded instants equal to what the services served then, the chains verified against signed
 * checkpoints, and an edited entry on the real topic caught by {@code ./gatehouse audit verify}.
 * {@code -Dgatehouse.audit.mutations} (1000) and {@code -Dgatehouse.audit.kills} (5) size it.
 */
class AuditIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MUTATIONS = Integer.getInteger("gatehouse.audit.mutations", 1000);
    private static final int KILLS = Integer.getInteger("gatehouse.audit.kills", 5);
    private static final int SNAPSHOTS = 10;

    private static RunningSuite running;

    @BeforeAll
    static void start() {
        running = RunningSuite.start(1);
    }

    @AfterAll
    static void stop() {
        if (running != null) {
            running.close();
        }
    }

    private record Snapshot(
            Instant at, Map<String, JsonNode> apis, Set<String> keys, Set<String> clients) {}

    private final List<String> rawKeys = new ArrayList<>();
    private final List<String> clientSecrets = new ArrayList<>();

    private static URI owner(Suite.Owner owner) {
        return running.owners.get(owner).url();
    }

    private static HttpResponse<String> call(String method, URI url, String body) {
        HttpRequest.Builder request = RunningSuite.admin(url).timeout(Duration.ofSeconds(15));
        request.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        try {
            return RunningSuite.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null; // the owner died under the call: outcome unknown, the databases decide
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static boolean ok(HttpResponse<String> response) {
        return response != null && response.statusCode() == 200;
    }

    @Test
    void theLogRecordsEveryCommittedChangeOnceAndReplaysTheServedState() throws Exception {
        long seed = Long.getLong("gatehouse.audit.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.printf("[audit] seed %d, %d mutations, %d kills%n", seed, MUTATIONS, KILLS);
        URI admin = owner(Suite.Owner.ADMIN);
        URI keys = owner(Suite.Owner.KEYS);
        URI oauth = owner(Suite.Owner.OAUTH);
        String target = running.upstream.url();
        assertTrue(
                ok(
                        call(
                                "POST",
                                admin.resolve("/tyk/apis"),
                                api("audit-oauth", "oauth", true, target))));
        assertTrue(
                ok(
                        call(
                                "POST",
                                admin.resolve("/tyk/apis"),
                                api("audit-keyed", "keyed", false, target))));

        Set<Integer> killAt = new TreeSet<>();
        while (killAt.size() < KILLS) {
            killAt.add(50 + random.nextInt(Math.max(1, MUTATIONS - 100)));
        }
        Set<Integer> snapshotAt = new TreeSet<>();
        while (snapshotAt.size() < SNAPSHOTS) {
            int at = 20 + random.nextInt(Math.max(1, MUTATIONS - 20));
            if (!killAt.contains(at) && !killAt.contains(at - 1)) {
                snapshotAt.add(at);
            }
        }
        List<Snapshot> snapshots = new ArrayList<>();
        Map<String, String> liveKeys = new TreeMap<>(); // raw key -> digest
        List<String> liveClients = new ArrayList<>();
        int unknown = 0;
        long started = System.nanoTime();
        for (int i = 0; i < MUTATIONS; i++) {
            CompletableFuture<Void> kill = null;
            if (killAt.contains(i)) {
                Suite.Owner victim = Suite.Owner.values()[random.nextInt(3)];
                int delay = random.nextInt(15);
                // fired at a random point inside the next call
                kill =
                        CompletableFuture.runAsync(
                                () -> killAndRestart(victim),
                                CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS));
            }
            int kind = i % 10;
            HttpResponse<String> response;
            if (kind <= 2) {
                String name = "api-" + random.nextInt(60);
                response =
                        random.nextInt(5) == 0
                                ? call("DELETE", admin.resolve("/tyk/apis/" + name), null)
                                : call(
                                        "POST",
                                        admin.resolve("/tyk/apis"),
                                        api(name, "n" + random.nextInt(1000), false, target));
            } else if (kind == 3) {
                String name = "pol-" + random.nextInt(15);
                response =
                        call(
                                "POST",
                                admin.resolve("/tyk/policies"),
                                """
                                {"id":"%s","name":"%s","org_id":"default","rate":%d,"per":1,"active":true,
                                 "access_rights":{"audit-keyed":{"api_id":"audit-keyed","versions":["Default"]}}}"""
                                        .formatted(name, name, 1 + random.nextInt(100)));
            } else if (kind <= 6 || liveKeys.isEmpty()) {
                response =
                        call(
                                "POST",
                                keys.resolve("/tyk/keys/create"),
                                key(random.nextInt(100) + 1));
                if (ok(response)) {
                    String raw = read(response).get("key").asText();
                    rawKeys.add(raw);
                    liveKeys.put(raw, "");
                }
            } else if (kind == 7) {
                String raw = pick(liveKeys.keySet(), random);
                if (random.nextBoolean()) {
                    response = call("DELETE", keys.resolve("/tyk/keys/" + raw), null);
                    if (ok(response)) {
                        liveKeys.remove(raw);
                    }
                } else {
                    response =
                            call(
                                    "PUT",
                                    keys.resolve("/tyk/keys/" + raw),
                                    key(random.nextInt(100) + 1));
                }
            } else if (kind == 8 || liveClients.isEmpty()) {
                String id = "client-" + i;
                String secret = "secret-" + Long.toHexString(random.nextLong()) + "-" + i;
                response =
                        call(
                                "POST",
                                oauth.resolve("/tyk/oauth/clients/create"),
                                """
                                {"api_id":"audit-oauth","client_id":"%s","secret":"%s","redirect_uri":"http://example.com/cb"}"""
                                        .formatted(id, secret));
                if (ok(response)) {
                    clientSecrets.add(secret);
                    liveClients.add(id);
                }
            } else {
                String id = liveClients.remove(random.nextInt(liveClients.size()));
                response =
                        call("DELETE", oauth.resolve("/tyk/oauth/clients/audit-oauth/" + id), null);
                if (!ok(response)) {
                    liveClients.add(id);
                }
            }
            if (response == null) {
                unknown++;
            }
            if (kill != null) {
                kill.get(120, TimeUnit.SECONDS);
            }
            if (snapshotAt.contains(i)) {
                snapshots.add(served(liveKeys));
            }
        }
        System.out.printf(
                "[audit] %d mutations in %d ms, %d with no answer (owner killed under them)%n",
                MUTATIONS, (System.nanoTime() - started) / 1_000_000, unknown);
        assertTrue(rawKeys.size() >= 100, "at least 100 keys created, got " + rawKeys.size());
        assertTrue(
                clientSecrets.size() >= 20,
                "at least 20 OAuth clients created, got " + clientSecrets.size());

        Map<String, Long> committed = committedVersions();
        Set<String> chains = chains();
        List<AuditEvent> entries = awaitEntries(chains, committed);
        Map<String, List<Long>> versions = new HashMap<>();
        for (AuditEvent event : entries) {
            if (event.isChange()) {
                versions.computeIfAbsent(
                                event.resourceType() + " " + event.resourceId(),
                                k -> new ArrayList<>())
                        .add(event.version());
            }
        }
        for (var row : committed.entrySet()) {
            List<Long> expected = new ArrayList<>();
            for (long v = 1; v <= row.getValue(); v++) {
                expected.add(v);
            }
            List<Long> actual = new ArrayList<>(versions.getOrDefault(row.getKey(), List.of()));
            actual.sort(null);
            assertEquals(expected, actual, "audit entries of " + row.getKey());
        }
        assertEquals(
                committed.keySet(),
                versions.keySet(),
                "no entry for a change that was not committed");
        System.out.printf(
                "[audit] %d entries for %d resources, one per committed change%n",
                entries.size(), committed.size());

        // no raw secret anywhere on the topic
        List<ConsumerRecord<String, String>> records = TopicRecords.all(Topics.AUDIT.name());
        StringBuilder everything = new StringBuilder();
        for (var record : records) {
            everything.append(record.key()).append('\n').append(record.value()).append('\n');
            record.headers()
                    .forEach(
                            h ->
                                    everything
                                            .append(new String(h.value(), StandardCharsets.UTF_8))
                                            .append('\n'));
        }
        String topic = everything.toString();
        for (String raw : rawKeys) {
            assertFalse(topic.contains(raw), "a raw key is on the audit topic");
        }
        for (String secret : clientSecrets) {
            assertFalse(topic.contains(secret), "a client secret is on the audit topic");
        }
        assertFalse(topic.contains(RunningSuite.SECRET), "the admin secret is on the audit topic");

        // replay fidelity
        KeyDigest keyDigest = KeyDigest.fromSecrets(null, RunningSuite.SECRET);
        Set<String> digests = new HashSet<>();
        rawKeys.forEach(raw -> digests.add(keyDigest.of(raw)));
        for (Snapshot snapshot : snapshots) {
            JsonNode state =
                    read(call("GET", admin.resolve("/tyk/audit/state?at=" + snapshot.at()), null));
            Map<String, JsonNode> apis = new TreeMap<>();
            // the topic also holds what earlier tests' owners wrote: compare this run's resources
            state.get("apis")
                    .fields()
                    .forEachRemaining(
                            e -> {
                                if (e.getKey().startsWith("api-")
                                        || e.getKey().startsWith("audit-")) {
                                    apis.put(e.getKey(), e.getValue());
                                }
                            });
            assertEquals(snapshot.apis(), apis, "APIs at " + snapshot.at());
            Set<String> keysThen = new TreeSet<>();
            state.get("keys").fieldNames().forEachRemaining(keysThen::add);
            keysThen.retainAll(digests);
            assertEquals(snapshot.keys(), keysThen, "keys at " + snapshot.at());
            Set<String> clientsThen = new TreeSet<>();
            state.get("oauth_clients").fieldNames().forEachRemaining(clientsThen::add);
            clientsThen.removeIf(id -> !id.startsWith("audit-oauth/"));
            assertEquals(snapshot.clients(), clientsThen, "OAuth clients at " + snapshot.at());
        }
        long replay = System.nanoTime();
        JsonNode now = read(call("GET", admin.resolve("/tyk/audit/state"), null));
        System.out.printf(
                "[audit] state rebuilt from %d entries in %d ms (server: %d ms)%n",
                now.get("entries_read").asLong(),
                (System.nanoTime() - replay) / 1_000_000,
                now.get("replay_ms").asLong());

        // signed checkpoints, then an intact log, through the gateway and the command line
        for (URI url : List.of(admin, keys, oauth)) {
            assertTrue(ok(call("POST", url.resolve("/gatehouse/audit/checkpoints"), null)));
        }
        URI gateway = running.gateways.get(0).url();
        JsonNode report = read(call("GET", gateway.resolve("/tyk/audit/verify"), null));
        assertEquals("intact", report.get("status").asText(), report::toString);
        for (String chain : chains) {
            JsonNode owner = report.get("owners").get(chain);
            assertEquals(
                    owner.get("last_seq").asLong(),
                    owner.get("checkpointed_seq").asLong(),
                    chain + " signed to its end");
        }
        var verified = cli(gateway, "audit", "verify");
        assertEquals(0, verified.exit(), verified.output());
        assertTrue(verified.output().contains("audit log intact"), verified.output());
        var log =
                cli(
                        gateway,
                        "audit",
                        "log",
                        "--resource-type",
                        "api",
                        "--resource-id",
                        "audit-keyed");
        assertEquals(0, log.exit(), log.output());
        assertTrue(
                log.output().contains("create api audit-keyed v1  by admin-secret"), log.output());

        // an entry edited on the topic itself (someone with write access to the broker)
        AuditEvent victim = entries.get(entries.size() / 2);
        var edited = victim.toJson(true);
        edited.put("actor", "nobody");
        TopicRecords.publishRaw(
                Topics.AUDIT.name(),
                victim.resourceType() + "/" + victim.resourceId(),
                AuditChain.canonicalText(AuditEvent.fromJson(edited).sealed().toJson(true)));
        var broken = cli(gateway, "audit", "verify");
        assertEquals(1, broken.exit(), broken.output());
        assertTrue(
                broken.output()
                        .contains(
                                "first broken link: conflict, "
                                        + victim.chainName()
                                        + " entry #"
                                        + victim.seq()),
                broken.output());
    }

    private static String pick(Set<String> from, Random random) {
        int index = random.nextInt(from.size());
        for (String item : from) {
            if (index-- == 0) {
                return item;
            }
        }
        throw new IllegalStateException();
    }

    private static String api(String id, String name, boolean oauth, String target) {
        return """
                {"api_id":"%s","name":"%s","org_id":"default","use_keyless":false,"use_oauth2":%s,"active":true,
                 "oauth_meta":{"allowed_access_types":["authorization_code","client_credentials"],"allowed_authorize_types":["code"]},
                 "proxy":{"listen_path":"/%s/","target_url":"%s/","strip_listen_path":true}}"""
                .formatted(id, name, oauth, id, target);
    }

    private static String key(int rate) {
        return """
                {"org_id":"default","rate":%d,"per":1,"quota_max":-1,
                 "access_rights":{"audit-keyed":{"api_id":"audit-keyed","versions":["Default"]}}}"""
                .formatted(rate);
    }

    private static void killAndRestart(Suite.Owner owner) {
        try {
            var process = running.owners.get(owner).process();
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
            process.currentRunExit().get(30, TimeUnit.SECONDS);
            process.restart();
            process.awaitHttpOk(
                    running.owners.get(owner).url().resolve("/q/health/ready"), RunningSuite.START);
        } catch (Exception e) {
            throw new IllegalStateException("could not kill and restart " + owner, e);
        }
    }

    /** What the services serve now (nothing is in flight): APIs, key digests, OAuth clients. */
    private Snapshot served(Map<String, String> liveKeys) {
        Map<String, JsonNode> apis = new TreeMap<>();
        for (JsonNode api :
                read(call("GET", owner(Suite.Owner.ADMIN).resolve("/tyk/apis"), null))) {
            apis.put(api.get("api_id").asText(), api);
        }
        KeyDigest digest = KeyDigest.fromSecrets(null, RunningSuite.SECRET);
        Set<String> keys = new TreeSet<>();
        for (String raw : liveKeys.keySet()) {
            if (ok(call("GET", owner(Suite.Owner.KEYS).resolve("/tyk/keys/" + raw), null))) {
                keys.add(digest.of(raw));
            }
        }
        Set<String> clients = new TreeSet<>();
        for (JsonNode client :
                read(
                        call(
                                "GET",
                                owner(Suite.Owner.OAUTH).resolve("/tyk/oauth/clients/audit-oauth"),
                                null))) {
            clients.add("audit-oauth/" + client.get("client_id").asText());
        }
        return new Snapshot(Instant.now(), apis, keys, clients);
    }

    /** Every resource the owners' databases hold, with its version: "type id" -> version. */
    private static Map<String, Long> committedVersions() throws Exception {
        Map<String, Long> versions = new TreeMap<>();
        query(Suite.Owner.ADMIN, "select 'api ' || api_id, version from api_definition", versions);
        query(Suite.Owner.ADMIN, "select 'policy ' || id, version from policy", versions);
        query(Suite.Owner.KEYS, "select 'key ' || key_id, version from api_key", versions);
        query(Suite.Owner.KEYS, "select 'org_key ' || org_id, version from org_key", versions);
        query(
                Suite.Owner.OAUTH,
                "select 'oauth_client ' || id, version from oauth_client",
                versions);
        return versions;
    }

    private static Set<String> chains() throws Exception {
        Map<String, Long> chains = new TreeMap<>();
        for (Suite.Owner owner : Suite.Owner.values()) {
            query(owner, "select '" + owner.module + "/' || chain, seq from audit_chain", chains);
        }
        return chains.keySet();
    }

    private static void query(Suite.Owner owner, String sql, Map<String, Long> into)
            throws Exception {
        var pg = TestInfrastructure.get().postgres();
        try (var connection =
                        DriverManager.getConnection(
                                pg.jdbcUrl(running.databaseOf.get(owner)),
                                pg.user(),
                                pg.password());
                var result = connection.createStatement().executeQuery(sql)) {
            while (result.next()) {
                into.put(result.getString(1), result.getLong(2));
            }
        }
    }

    /** This run's entries once every committed change has been published (outboxes drained). */
    private static List<AuditEvent> awaitEntries(Set<String> chains, Map<String, Long> committed) {
        long expected = committed.values().stream().mapToLong(Long::longValue).sum();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<AuditEvent> entries;
        do {
            entries = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (var record : TopicRecords.all(Topics.AUDIT.name())) {
                AuditEvent event =
                        AuditRecord.parse(
                                        record.partition(),
                                        record.offset(),
                                        Instant.ofEpochMilli(record.timestamp()),
                                        record.value())
                                .event();
                if (event != null
                        && chains.contains(event.chainName())
                        && seen.add(event.chainName() + "#" + event.seq())) {
                    entries.add(event);
                }
            }
            if (entries.stream().filter(AuditEvent::isChange).count() >= expected) {
                return entries;
            }
        } while (System.nanoTime() < deadline);
        return entries;
    }

    private record Cli(int exit, String output) {}

    private static Cli cli(URI gateway, String... args) throws Exception {
        Path root = Path.of(System.getProperty("gatehouse.root", "..")).toAbsolutePath();
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                root.resolve("deploy/local/target/gatehouse-local.jar")
                                        + ":"
                                        + root.resolve("deploy/local/target/lib/*"),
                                "gatehouse.local.Launcher"));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("TYK_GW_SECRET", RunningSuite.SECRET);
        builder.environment().put("GATEHOUSE_URL", gateway.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Cli(process.exitValue(), output);
    }
}
