package gatehouse.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One {@code ./gatehouse up} per home: a second one would start a broker on the first one's log
 * (still being written while it shuts down, say) and corrupt it. The lock is the operating
 * system's, so it goes with the process however that ends, {@code kill -9} included.
 */
final class HomeLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private HomeLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @throws IllegalStateException when another suite holds the home
     */
    static HomeLock take(Path home) {
        try {
            Files.createDirectories(home);
            FileChannel channel =
                    FileChannel.open(
                            home.resolve("gatehouse.lock"),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException(
                        "another ./gatehouse up is using "
                                + home
                                + " (or is still stopping): stop it first, or set GATEHOUSE_HOME"
                                + " to another folder");
            }
            return new HomeLock(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + home, e);
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
