package gatehouse.gateway.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.keys.KeyDigest;
import gatehouse.contracts.keys.KeyState;
import gatehouse.contracts.tyk.SessionDocuments;
import gatehouse.contracts.tyk.TykJson;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A key found for a request: its digest, the registry's look-up, the applied session of a key in
 * use, and the cost of a key that is held only packed (decoded on first use).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KeyLookupBenchmark {

    @Param({"1000", "1000000"})
    int keys;

    private final KeyDigest digests = new KeyDigest(new byte[32]);
    private final Map<String, ObjectNode> policies = Map.of();
    private KeyRegistry registry;
    private String raw;
    private String digest;
    private byte[] packed;

    @Setup
    public void fill() {
        registry =
                new KeyRegistry(
                        new QuotaCounters(),
                        new KeyRateLimits(),
                        new OAuthClients(),
                        new DecodedKeys(16_384));
        for (int i = 0; i < keys; i++) {
            String json = state(i);
            registry.offerPacked(
                    digests.of("key-" + i),
                    1,
                    PackedKeyState.pack(json.getBytes(StandardCharsets.UTF_8)));
        }
        raw = "key-" + keys / 2;
        digest = digests.of(raw);
        packed = PackedKeyState.pack(state(keys / 2).getBytes(StandardCharsets.UTF_8));
        if (registry.get(digest).session(policies, "org") == null) {
            throw new IllegalStateException("the key does not apply");
        }
    }

    private static String state(int i) {
        ObjectNode session = TykJson.MAPPER.createObjectNode();
        session.put("org_id", "org").put("rate", 1000).put("per", 1).put("quota_max", -1);
        ObjectNode right =
                SessionDocuments.accessDefinitionWithDefaults(
                        TykJson.MAPPER
                                .createObjectNode()
                                .put("api_id", "api")
                                .put("api_name", "API"));
        right.putArray("versions").add("Default");
        session.putObject("access_rights").set("api", right);
        session.put("alias", "user-" + i);
        return TykJson.encode(
                        new KeyState(
                                "hash-" + i,
                                SessionDocuments.withDefaults(session),
                                Map.of(),
                                null))
                .stripTrailing();
    }

    @Benchmark
    public String digest() {
        return digests.of(raw);
    }

    @Benchmark
    public KeySession heldKeyInUse() {
        return registry.get(digest).session(policies, "org");
    }

    @Benchmark
    public KeyState packedKeyDecoded() {
        return PackedKeyState.read(packed);
    }
}
