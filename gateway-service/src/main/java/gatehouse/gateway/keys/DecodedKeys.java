package gatehouse.gateway.keys;

import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The keys held decoded, at most {@code gatehouse.keys.decoded-kept} of them (ADR 0015). A ring in
 * the order keys were decoded: admitting one drops the decoded form of the key it replaces, so the
 * set costs one array slot per entry and no lock, and a key in steady use is decoded again only
 * after that many other keys were.
 */
@Singleton
public class DecodedKeys {

    private final AtomicReferenceArray<HeldKey> ring;
    private final int mask;
    private final AtomicLong next = new AtomicLong();

    DecodedKeys(
            @ConfigProperty(name = "gatehouse.keys.decoded-kept", defaultValue = "16384")
                    int kept) {
        if (kept < 1) {
            throw new IllegalArgumentException("gatehouse.keys.decoded-kept must be at least 1");
        }
        int size = Integer.highestOneBit(kept);
        this.ring = new AtomicReferenceArray<>(size < kept ? size << 1 : size);
        this.mask = ring.length() - 1;
    }

    /** How many keys may be held decoded at once. */
    public int capacity() {
        return ring.length();
    }

    void admit(HeldKey key) {
        HeldKey out = ring.getAndSet((int) (next.getAndIncrement() & mask), key);
        if (out != null && out != key) {
            out.forgetDecoded();
        }
    }
}
