package gatehouse.gateway.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.events.CloudEventCodec;
import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.keys.KeyState;
import gatehouse.contracts.tyk.SessionDocuments;
import gatehouse.contracts.tyk.TykJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a node spends on each key event it reads at start (a new node reads every key): the event's
 * headers, the key state's JSON, and packing it. A million of these bound how soon it is ready.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class KeyReplayBenchmark {

    private Map<String, byte[]> headers;
    private byte[] value;
    private String data;
    private KeyRegistry registry;
    private int next;

    @Setup
    public void event() {
        ObjectNode session = TykJson.MAPPER.createObjectNode();
        session.put("org_id", "org").put("rate", 1000).put("per", 1).put("quota_max", -1);
        session.put("last_updated", "1764800000").put("alias", "user-1");
        ObjectNode right =
                SessionDocuments.accessDefinitionWithDefaults(
                        TykJson.MAPPER
                                .createObjectNode()
                                .put("api_id", "api")
                                .put("api_name", "API"));
        right.putArray("versions").add("Default");
        session.putObject("access_rights").set("api", right);
        data =
                TykJson.encode(
                                new KeyState(
                                        "0123456789abcdef",
                                        SessionDocuments.withDefaults(session),
                                        Map.of(),
                                        null))
                        .stripTrailing();
        value = data.getBytes(StandardCharsets.UTF_8);
        headers =
                CloudEventCodec.headers(
                        new EventEnvelope(
                                "1d0f4c1e-7a51-4bfe-a3a4-0c6d2f1c9b11",
                                "/gatehouse/keys-service",
                                EventTypes.KEY_UPSERTED,
                                "digest",
                                Instant.now(),
                                "admin",
                                "request-1",
                                1,
                                data));
        registry =
                new KeyRegistry(
                        new QuotaCounters(),
                        new KeyRateLimits(),
                        new OAuthClients(),
                        new DecodedKeys(16_384));
    }

    @Benchmark
    public EventEnvelope envelope() {
        return CloudEventCodec.read(headers::get, value);
    }

    @Benchmark
    public KeyState parse() {
        return KeyRegistry.parse(data);
    }

    @Benchmark
    public byte[] pack() {
        return PackedKeyState.pack(value);
    }

    /** The whole of one event, as the replicator applies it (a new digest each time). */
    @Benchmark
    public KeyRegistry.Applied apply() {
        EventEnvelope read = CloudEventCodec.read(headers::get, value);
        EventEnvelope event =
                new EventEnvelope(
                        read.id(),
                        read.source(),
                        read.type(),
                        "digest-" + (next++ & 0xFFFF),
                        read.time(),
                        read.actor(),
                        read.requestId(),
                        read.version(),
                        read.data());
        return registry.apply(event);
    }
}
