package gatehouse.gateway.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.keys.KeyState;
import gatehouse.contracts.tyk.SessionDocuments;
import gatehouse.contracts.tyk.TykJson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A key's state as this node holds it between requests (ADR 0015): the {@link KeyState} JSON as
 * published, deflated against a preset dictionary of a typical full Tyk session. Tyk's session
 * documents carry every field, mostly at Go's zero value, so a key of about 1.3 KB of JSON packs to
 * a small fraction of that; decoding costs a few microseconds and happens only when a key that is
 * not decoded already is used.
 */
public final class PackedKeyState {

    private static final byte[] DICTIONARY = dictionary();

    /**
     * Identifies the dictionary, so bytes packed by another build are never unpacked with this one
     * (the local snapshot stores packed states).
     */
    public static final long DICTIONARY_ID = crc(DICTIONARY);

    // the fastest level: most of packing is priming the dictionary, and a slower level saves
    // about 10% of the bytes (1,306 B of JSON: 151 B at level 1, 135 B at 6) for 50% more time.
    // One (de)compressor per thread: each holds native memory that a per-call instance would churn
    private static final ThreadLocal<Deflater> DEFLATERS =
            ThreadLocal.withInitial(() -> new Deflater(Deflater.BEST_SPEED, true));
    private static final ThreadLocal<Inflater> INFLATERS =
            ThreadLocal.withInitial(() -> new Inflater(true));
    private static final ThreadLocal<byte[]> BUFFERS =
            ThreadLocal.withInitial(() -> new byte[8192]);

    private PackedKeyState() {}

    /** Packs the JSON text of a key state. */
    public static byte[] pack(byte[] json) {
        Deflater deflater = DEFLATERS.get();
        deflater.reset();
        deflater.setDictionary(DICTIONARY);
        deflater.setInput(json);
        deflater.finish();
        byte[] buffer = BUFFERS.get();
        var out = new ByteArrayOutputStream(Math.max(64, json.length / 4));
        while (!deflater.finished()) {
            int n = deflater.deflate(buffer);
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * Unpacks what {@link #pack} made.
     *
     * @throws IllegalArgumentException when the bytes were not packed with this dictionary
     */
    public static byte[] unpack(byte[] packed) {
        Inflater inflater = INFLATERS.get();
        inflater.reset();
        inflater.setDictionary(DICTIONARY);
        inflater.setInput(packed);
        byte[] buffer = BUFFERS.get();
        var out = new ByteArrayOutputStream(packed.length * 6);
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("a packed key state is truncated");
                }
                out.write(buffer, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not a packed key state: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** Unpacks and reads a key state. */
    public static KeyState read(byte[] packed) {
        return KeyRegistry.parse(new String(unpack(packed), StandardCharsets.UTF_8));
    }

    /**
     * A key state as keys-service writes one, every session field present: the strings that recur
     * in every key are what the dictionary is for.
     */
    private static byte[] dictionary() {
        ObjectNode session = TykJson.MAPPER.createObjectNode();
        session.put("rate", 1000).put("per", 60).put("quota_max", -1);
        session.put("quota_renewal_rate", 3600).put("org_id", "default");
        ObjectNode right =
                SessionDocuments.accessDefinitionWithDefaults(
                        TykJson.MAPPER
                                .createObjectNode()
                                .put("api_id", "api")
                                .put("api_name", "API"));
        right.putArray("versions").add("Default");
        session.putObject("access_rights").set("api", right);
        session.putArray("tags");
        session.putObject("meta_data");
        session.put("alias", "");
        ObjectNode full = SessionDocuments.withDefaults(session);
        String json =
                TykJson.encode(
                                new KeyState(
                                        "0123456789abcdef",
                                        full,
                                        Map.of("", new KeyState.QuotaUsage(0, 0)),
                                        new KeyState.UsagePosition(0, 0)))
                        .stripTrailing();
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static long crc(byte[] bytes) {
        var crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }
}
