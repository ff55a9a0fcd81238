package gatehouse.gateway.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.gateway.keys.KeyRegistry;
import gatehouse.gateway.keys.PackedKeyState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local last-known-good snapshot: atomic, verified, and never served when altered or truncated.
 */
class StateSnapshotTest {

    @TempDir Path dir;

    private static final Consumer<KeyRegistry.PackedKeys> NO_KEYS = sink -> {};
    private static final KeyRegistry.PackedKeys IGNORED = (digest, version, packed) -> {};

    private static ConsumerRecord<byte[], byte[]> record(String topic, String key, String value) {
        var headers = new RecordHeaders();
        headers.add("ce_type", "io.gatehouse.api.upserted".getBytes(StandardCharsets.UTF_8));
        byte[] body = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>(
                topic,
                0,
                7,
                0L,
                TimestampType.CREATE_TIME,
                key.length(),
                body == null ? 0 : body.length,
                key.getBytes(StandardCharsets.UTF_8),
                body,
                headers,
                java.util.Optional.empty());
    }

    @Test
    void theNewestEventOfEachAggregateRoundTripsAndATombstoneForgetsIt() throws Exception {
        var snapshot = new StateSnapshot(dir.resolve("node.snapshot"));
        snapshot.remember(record("gatehouse.apis", "a", "{\"v\":1}"));
        snapshot.remember(record("gatehouse.apis", "a", "{\"v\":2}"));
        snapshot.remember(record("gatehouse.apis", "b", "{\"v\":1}"));
        // an OAuth client: the events of the keys topics that are not keys are kept as they came
        snapshot.remember(record("gatehouse.keys", "client", "{}"));
        snapshot.remember(record("gatehouse.apis", "b", null));
        snapshot.writeIfChanged(NO_KEYS);
        assertFalse(snapshot.dirty());
        var loaded = new StateSnapshot(dir.resolve("node.snapshot")).load(IGNORED);
        assertEquals(2, loaded.events().size());
        assertEquals(0, loaded.keys());
        var api = loaded.events().get(0);
        assertEquals("gatehouse.apis", api.topic());
        assertArrayEquals("{\"v\":2}".getBytes(StandardCharsets.UTF_8), api.value());
        assertEquals(
                "io.gatehouse.api.upserted",
                new String(
                        api.toRecord().headers().lastHeader("ce_type").value(),
                        StandardCharsets.UTF_8));
        assertFalse(
                Files.exists(dir.resolve("node.snapshot.tmp")),
                "the temporary file is renamed into place");
    }

    @Test
    void anAlteredTruncatedOrMissingFileIsNeverServed() throws Exception {
        Path file = dir.resolve("node.snapshot");
        var snapshot = new StateSnapshot(file);
        assertThrows(StateSnapshot.Unusable.class, () -> snapshot.load(IGNORED));
        snapshot.remember(record("gatehouse.apis", "a", "{\"listen_path\":\"/a/\"}"));
        snapshot.writeIfChanged(NO_KEYS);
        byte[] good = Files.readAllBytes(file);

        byte[] altered = good.clone();
        altered[40] ^= 1;
        Files.write(file, altered);
        var e = assertThrows(StateSnapshot.Unusable.class, () -> snapshot.load(IGNORED));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());

        Files.write(file, java.util.Arrays.copyOf(good, good.length - 5));
        assertThrows(StateSnapshot.Unusable.class, () -> snapshot.load(IGNORED));

        Files.write(file, good);
        assertEquals(1, snapshot.load(IGNORED).events().size());
    }

    @Test
    void everyHeldKeyIsStoredPackedAndReadBackWithItsVersion() throws Exception {
        Path file = dir.resolve("node.snapshot");
        var snapshot = new StateSnapshot(file);
        snapshot.remember(record("gatehouse.apis", "a", "{\"listen_path\":\"/a/\"}"));
        int count = 5_000;
        Consumer<KeyRegistry.PackedKeys> held =
                sink -> {
                    for (int i = 0; i < count; i++) {
                        sink.accept(
                                "digest-" + i,
                                i,
                                PackedKeyState.pack(("{\"n\":" + i + "}").getBytes()));
                    }
                };
        snapshot.writeIfChanged(held);
        List<String> read = new ArrayList<>();
        var loaded =
                new StateSnapshot(file)
                        .load(
                                (digest, version, packed) ->
                                        read.add(
                                                digest
                                                        + "@"
                                                        + version
                                                        + "="
                                                        + new String(
                                                                PackedKeyState.unpack(packed))));
        assertEquals(count, loaded.keys());
        assertEquals(1, loaded.events().size());
        assertEquals(count, read.size());
        assertEquals("digest-4321@4321={\"n\":4321}", read.get(4321));

        assertFalse(snapshot.dirty());
        snapshot.writeIfChanged(sink -> sink.accept("x", 1, new byte[] {1}));
        assertEquals(count, new StateSnapshot(file).load(IGNORED).keys(), "nothing changed");
        snapshot.keysChanged();
        snapshot.writeIfChanged(sink -> {});
        assertEquals(0, new StateSnapshot(file).load(IGNORED).keys(), "a deleted key is gone");
    }
}
