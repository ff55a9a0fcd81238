package gatehouse.gateway.state;

import gatehouse.gateway.keys.KeyRegistry;
import gatehouse.gateway.keys.PackedKeyState;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * This node's last known good state on local disk: the newest event of every aggregate on the state
 * topics (APIs, policies, OAuth clients), as it was received, and every key and access token the
 * node holds, packed as it holds them, so a node restarted while the broker is down can serve what
 * it served before (DESIGN.md §4). Written atomically (a temporary file, fsync, rename) with a
 * format version and a SHA-256 checksum over the content; a file that does not verify is never
 * served. Confined to the replicator thread.
 */
final class StateSnapshot {

    private static final int MAGIC = 0x47485331; // "GHS1"
    // 2: keys no longer as events but packed, after them (ADR 0015)
    private static final int FORMAT = 2;

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

    /**
     * A snapshot read back and verified.
     *
     * @param events the remembered events
     * @param keys how many keys it held
     */
    record Loaded(List<Stored> events, long keys, long writtenAtMillis) {}

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

    /** Notes that the keys changed: the next write stores them again. */
    void keysChanged() {
        dirty = true;
    }

    boolean dirty() {
        return dirty;
    }

    /**
     * Writes the file if anything changed since the last write: the remembered events, then every
     * key {@code keys} holds, packed. Streamed to disk, so a node holding a million keys does not
     * build the file in memory first.
     */
    void writeIfChanged(Consumer<KeyRegistry.PackedKeys> keys) throws IOException {
        if (!dirty) {
            return;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        MessageDigest sha = sha256();
        try (FileChannel channel =
                        FileChannel.open(
                                temporary,
                                StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE,
                                StandardOpenOption.TRUNCATE_EXISTING);
                var buffered =
                        new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                var digested = new DigestOutputStream(buffered, sha);
                var out = new DataOutputStream(digested)) {
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
            out.writeLong(PackedKeyState.DICTIONARY_ID);
            IOException[] failed = new IOException[1];
            keys.accept(
                    (digest, version, packed) -> {
                        if (failed[0] != null) {
                            return;
                        }
                        try {
                            out.writeBoolean(true);
                            out.writeUTF(digest);
                            out.writeLong(version);
                            writeBytes(out, packed);
                        } catch (IOException e) {
                            failed[0] = e;
                        }
                    });
            if (failed[0] != null) {
                throw failed[0];
            }
            out.writeBoolean(false);
            out.flush();
            digested.on(false);
            buffered.write(sha.digest());
            buffered.flush();
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
     * Reads and verifies the file: the checksum over the whole file first, then the events, which
     * are returned, and the keys, which go to {@code keys} as they are read.
     *
     * @throws Unusable when there is none, or it is truncated, altered or of another format
     */
    Loaded load(KeyRegistry.PackedKeys keys) throws Unusable {
        long size;
        try {
            size = Files.size(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new Unusable("no snapshot at " + file);
        } catch (IOException e) {
            throw new Unusable("the snapshot " + file + " cannot be read: " + e.getMessage());
        }
        if (size < 32 + 20) {
            throw new Unusable("the snapshot " + file + " is truncated");
        }
        verify(size - 32);
        try (var in =
                new DataInputStream(
                        new BufferedInputStream(
                                new LimitedInputStream(Files.newInputStream(file), size - 32),
                                1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                throw new Unusable("the snapshot " + file + " is of another format");
            }
            long writtenAt = in.readLong();
            int count = in.readInt();
            List<Stored> events = new ArrayList<>(Math.max(0, Math.min(count, 1 << 16)));
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
            if (in.readLong() != PackedKeyState.DICTIONARY_ID) {
                throw new Unusable(
                        "the snapshot " + file + " holds keys packed by another version");
            }
            long held = 0;
            while (in.readBoolean()) {
                String digest = in.readUTF();
                long version = in.readLong();
                keys.accept(digest, version, readBytes(in));
                held++;
            }
            return new Loaded(events, held, writtenAt);
        } catch (IOException | RuntimeException e) {
            throw new Unusable("the snapshot " + file + " is malformed: " + e.getMessage());
        }
    }

    /** Compares the SHA-256 of the first {@code length} bytes with the 32 bytes after them. */
    private void verify(long length) throws Unusable {
        MessageDigest sha = sha256();
        byte[] stored;
        try (var in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            byte[] buffer = new byte[1 << 16];
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new Unusable("the snapshot " + file + " is truncated");
                }
                sha.update(buffer, 0, n);
                left -= n;
            }
            stored = in.readNBytes(32);
        } catch (IOException e) {
            throw new Unusable("the snapshot " + file + " cannot be read: " + e.getMessage());
        }
        if (!MessageDigest.isEqual(sha.digest(), stored)) {
            throw new Unusable("the snapshot " + file + " does not match its checksum");
        }
    }

    /** The first {@code limit} bytes of a stream: the body, without the checksum after it. */
    private static final class LimitedInputStream extends java.io.FilterInputStream {
        private long left;

        LimitedInputStream(java.io.InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
