package gatehouse.gateway.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * This node's last known good state on local disk: the newest event of every aggregate on the state
 * topics (APIs, policies, keys, OAuth tokens), as it was received, so a node restarted while the
 * broker is down can serve what it served before (DESIGN.md §4). Written atomically (a temporary
 * file, fsync, rename) with a format version and a SHA-256 checksum over the content; a file that
 * does not verify is never served. Confined to the replicator thread.
 */
final class StateSnapshot {

    private static final int MAGIC = 0x47485331; // "GHS1"
    private static final int FORMAT = 1;

    /** One stored event: enough to replay it through the same code as a live one. */
    record Stored(
            String topic,
            int partition,
            long offset,
            byte[] key,
            Map<String, byte[]> headers,
            byte[] value) {

        ConsumerRecord<byte[], byte[]> toRecord() {
            var recordHeaders = new RecordHeaders();
            headers.forEach(recordHeaders::add);
            return new ConsumerRecord<>(
                    topic,
                    partition,
                    offset,
                    0L,
                    TimestampType.CREATE_TIME,
                    key == null ? -1 : key.length,
                    value.length,
                    key,
                    value,
                    recordHeaders,
                    java.util.Optional.empty());
        }
    }

    /** A snapshot read back and verified. */
    record Loaded(List<Stored> events, long writtenAtMillis) {}

    /** Why a file could not be served. */
    static final class Unusable extends Exception {
        Unusable(String message) {
            super(message, null, false, false);
        }
    }

    private final Path file;
    private final Map<String, Stored> latest = new LinkedHashMap<>();
    private boolean dirty;

    StateSnapshot(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** Keeps a state event (a tombstone forgets its aggregate). */
    void remember(ConsumerRecord<byte[], byte[]> record) {
        String id =
                record.topic()
                        + "\u0000"
                        + record.partition()
                        + "\u0000"
                        + (record.key() == null
                                ? ""
                                : new String(
                                        record.key(), java.nio.charset.StandardCharsets.UTF_8));
        if (record.value() == null) {
            dirty |= latest.remove(id) != null;
            return;
        }
        Map<String, byte[]> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value());
        }
        latest.put(
                id,
                new Stored(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.key(),
                        headers,
                        record.value()));
        dirty = true;
    }

    boolean dirty() {
        return dirty;
    }

    /** Writes the file if anything changed since the last write. */
    void writeIfChanged() throws IOException {
        if (!dirty) {
            return;
        }
        var content = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(content)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeLong(System.currentTimeMillis());
            out.writeInt(latest.size());
            for (Stored stored : latest.values()) {
                out.writeUTF(stored.topic());
                out.writeInt(stored.partition());
                out.writeLong(stored.offset());
                writeBytes(out, stored.key());
                out.writeInt(stored.headers().size());
                for (var header : stored.headers().entrySet()) {
                    out.writeUTF(header.getKey());
                    writeBytes(out, header.getValue());
                }
                writeBytes(out, stored.value());
            }
        }
        byte[] body = content.toByteArray();
        byte[] digest = sha256(body);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel =
                FileChannel.open(
                        temporary,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(body));
            channel.write(java.nio.ByteBuffer.wrap(digest));
            channel.force(true);
        }
        Files.move(
                temporary,
                file,
                StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        dirty = false;
    }

    /**
     * Reads and verifies the file.
     *
     * @throws Unusable when there is none, or it is truncated, altered or of another format
     */
    Loaded load() throws Unusable {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new Unusable("no snapshot at " + file);
        } catch (IOException e) {
            throw new Unusable("the snapshot " + file + " cannot be read: " + e.getMessage());
        }
        if (all.length < 32 + 20) {
            throw new Unusable("the snapshot " + file + " is truncated");
        }
        byte[] body = Arrays.copyOf(all, all.length - 32);
        if (!MessageDigest.isEqual(
                sha256(body), Arrays.copyOfRange(all, all.length - 32, all.length))) {
            throw new Unusable("the snapshot " + file + " does not match its checksum");
        }
        try (var in = new DataInputStream(new ByteArrayInputStream(body))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                throw new Unusable("the snapshot " + file + " is of another format");
            }
            long writtenAt = in.readLong();
            int count = in.readInt();
            List<Stored> events = new ArrayList<>(Math.max(0, Math.min(count, 1 << 20)));
            for (int i = 0; i < count; i++) {
                String topic = in.readUTF();
                int partition = in.readInt();
                long offset = in.readLong();
                byte[] key = readBytes(in);
                int headerCount = in.readInt();
                Map<String, byte[]> headers = new LinkedHashMap<>();
                for (int h = 0; h < headerCount; h++) {
                    headers.put(in.readUTF(), readBytes(in));
                }
                events.add(new Stored(topic, partition, offset, key, headers, readBytes(in)));
            }
            return new Loaded(events, writtenAt);
        } catch (IOException | RuntimeException e) {
            throw new Unusable("the snapshot " + file + " is malformed: " + e.getMessage());
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        return in.readNBytes(length);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
