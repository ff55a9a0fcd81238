package gatehouse.gateway.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        snapshot.remember(record("gatehouse.keys", "k", "{}"));
        snapshot.remember(record("gatehouse.apis", "b", null));
        snapshot.writeIfChanged();
        assertFalse(snapshot.dirty());
        var loaded = new StateSnapshot(dir.resolve("node.snapshot")).load();
        assertEquals(2, loaded.events().size());
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
        assertThrows(StateSnapshot.Unusable.class, snapshot::load);
        snapshot.remember(record("gatehouse.apis", "a", "{\"listen_path\":\"/a/\"}"));
        snapshot.writeIfChanged();
        byte[] good = Files.readAllBytes(file);

        byte[] altered = good.clone();
        altered[40] ^= 1;
        Files.write(file, altered);
        var e = assertThrows(StateSnapshot.Unusable.class, snapshot::load);
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());

        Files.write(file, java.util.Arrays.copyOf(good, good.length - 5));
        assertThrows(StateSnapshot.Unusable.class, snapshot::load);

        Files.write(file, good);
        assertEquals(1, snapshot.load().events().size());
    }
}
