package gatehouse.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.events.CloudEventCodec;
import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.contracts.keys.KeyDigest;
import gatehouse.contracts.keys.KeyState;
import gatehouse.contracts.tyk.SessionDocuments;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.local.Suite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The bench's keys row: what a gateway's heap holds per key, and how long a new gateway takes to be
 * ready, with many keys on {@code gatehouse.keys}. The keys are published as keys-service publishes
 * them (full Tyk sessions, an access right and limits each) but straight to the topic: creating a
 * million through the API would time keys-service, not the gateway.
 */
final class KeyScale {

    /**
     * One measurement.
     *
     * @param count keys published
     * @param publishSeconds how long publishing them took
     * @param readySeconds from a new gateway's start until its {@code /ready} answered 200
     * @param baselineHeapKib live heap after a full GC of a gateway started before the keys
     * @param heapKib the same of the gateway holding them
     * @param rssKib that gateway's resident memory
     * @param servedStatus what that gateway answered a request made with one of the keys
     */
    record Keys(
            int count,
            double publishSeconds,
            double readySeconds,
            long baselineHeapKib,
            long heapKib,
            long rssKib,
            int servedStatus) {

        /** Live heap per key, in bytes; NaN when the heap could not be read. */
        double bytesPerKey() {
            if (heapKib <= 0 || baselineHeapKib <= 0) {
                return Double.NaN;
            }
            return (heapKib - baselineHeapKib) * 1024.0 / count;
        }
    }

    private static final Pattern USED =
            Pattern.compile("(?:generation|heap)\\s+total \\d+K, used (\\d+)K");

    private final HttpClient http;
    private final String bootstrapServers;
    private final String secret;
    private final String org;
    private final String apiId;

    KeyScale(HttpClient http, String bootstrapServers, String secret, String org, String apiId) {
        this.http = http;
        this.bootstrapServers = bootstrapServers;
        this.secret = secret;
        this.org = org;
        this.apiId = apiId;
    }

    /**
     * Starts a gateway and reads its heap, publishes {@code count} keys, starts another and times
     * it until ready, then reads its heap and makes a request with one of the keys. Each gateway is
     * stopped once measured.
     */
    Keys measure(
            Suite suite,
            Map<Suite.Owner, URI> owners,
            int count,
            String maxHeap,
            Duration timeout,
            String path)
            throws Exception {
        Map<String, String> settings = Map.of("gatehouse.analytics.enabled", "false");
        long baseline;
        Suite.Service empty = suite.startGateway(0, owners, "/ready", settings, maxHeap, timeout);
        try {
            baseline = heapAfterFullGc(empty.process().pid());
        } finally {
            empty.process().close();
        }
        long started = System.nanoTime();
        publish(count);
        double publishSeconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "bench: %,d keys published in %.1f s; a new gateway reads them%n",
                count,
                publishSeconds);
        started = System.nanoTime();
        Suite.Service holding = suite.startGateway(0, owners, "/ready", settings, maxHeap, timeout);
        try {
            double readySeconds = (System.nanoTime() - started) / 1e9;
            int status = request(holding.url().resolve(path), rawKey(count / 2));
            long heap = heapAfterFullGc(holding.process().pid());
            long rss = ProcessStats.rssKib(List.of(holding.process().pid()));
            return new Keys(count, publishSeconds, readySeconds, baseline, heap, rss, status);
        } finally {
            holding.process().close();
        }
    }

    private String rawKey(int i) {
        return org + String.format(Locale.ROOT, "%032x", i);
    }

    private void publish(int count) {
        KeyDigest digests = KeyDigest.fromSecrets(null, secret);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(1 << 20));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (var producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                String digest = digests.of(rawKey(i));
                String data = TykJson.encode(state(i)).stripTrailing();
                EventEnvelope event =
                        new EventEnvelope(
                                UUID.randomUUID().toString(),
                                "/gatehouse/bench",
                                EventTypes.KEY_UPSERTED,
                                digest,
                                Instant.now(),
                                "bench",
                                "bench-keys-" + i,
                                1,
                                data);
                List<org.apache.kafka.common.header.Header> headers = new ArrayList<>();
                CloudEventCodec.headers(event)
                        .forEach((name, value) -> headers.add(new RecordHeader(name, value)));
                producer.send(
                        new ProducerRecord<>(
                                Topics.KEYS.name(),
                                null,
                                digest.getBytes(StandardCharsets.UTF_8),
                                data.getBytes(StandardCharsets.UTF_8),
                                headers));
            }
            producer.flush();
        }
    }

    /** A key's state as keys-service stores one: every field of Tyk's session, and limits. */
    private KeyState state(int i) {
        ObjectNode session = TykJson.MAPPER.createObjectNode();
        session.put("org_id", org).put("rate", 1_000_000).put("per", 1);
        session.put("quota_max", -1).put("quota_renewal_rate", 3600);
        session.put("last_updated", Long.toString(Instant.now().getEpochSecond()));
        session.put("date_created", Instant.now().toString());
        session.put("alias", "bench-user-" + i);
        ObjectNode right =
                SessionDocuments.accessDefinitionWithDefaults(
                        TykJson.MAPPER
                                .createObjectNode()
                                .put("api_id", apiId)
                                .put("api_name", "Bench keyed"));
        right.putArray("versions").add("Default");
        session.putObject("access_rights").set(apiId, right);
        return new KeyState(
                String.format(Locale.ROOT, "%016x", i * 0x9E3779B97F4A7C15L),
                SessionDocuments.withDefaults(session),
                Map.of(),
                null);
    }

    private int request(URI url, String key) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(url)
                        .header("Authorization", key)
                        .timeout(Duration.ofSeconds(10))
                        .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /**
     * The live heap of a JVM after a full collection, in KiB, from {@code jcmd}; 0 when it cannot
     * be read.
     */
    static long heapAfterFullGc(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            run(jcmd.toString(), Long.toString(pid), "GC.run");
            return usedKib(run(jcmd.toString(), Long.toString(pid), "GC.heap_info"));
        } catch (Exception e) {
            System.out.println("bench: the heap of " + pid + " could not be read: " + e);
            return 0;
        }
    }

    /** The used figures of {@code GC.heap_info}'s heap lines, summed (metaspace is not heap). */
    static long usedKib(String heapInfo) {
        long used = 0;
        Matcher matcher = USED.matcher(heapInfo);
        while (matcher.find()) {
            used += Long.parseLong(matcher.group(1));
        }
        return used;
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + out.strip());
        }
        return out;
    }
}
