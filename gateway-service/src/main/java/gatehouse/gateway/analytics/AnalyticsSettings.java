package gatehouse.gateway.analytics;

import java.time.Duration;

/**
 * The gateway-wide analytics options (Tyk's {@code enable_analytics} and its sampling, plus how
 * records leave the node).
 *
 * @param enabled record requests at all
 * @param sampleRate the share of requests recorded, 0 to 1
 * @param bufferSize records waiting for the shipper at most; beyond it a record is dropped and
 *     counted
 * @param batchSize records taken per shipment at most
 * @param flushInterval how long a record waits at most for its shipment
 * @param producer how the shipper's Kafka producer sends
 */
public record AnalyticsSettings(
        boolean enabled,
        double sampleRate,
        int bufferSize,
        int batchSize,
        Duration flushInterval,
        Producer producer) {

    /**
     * The Kafka producer's bounds: a broker outage fills {@code bufferMemory} and then drops, it
     * never stalls the shipper for longer than {@code maxBlock} per send.
     *
     * @param compression {@code lz4} (gzip when lz4 is not on the class path), {@code gzip}, ...
     * @param linger how long the producer waits to fill a batch
     * @param maxBlock how long a send may wait for metadata or buffer space
     * @param bufferMemory bytes the producer holds while the broker does not take them
     * @param deliveryTimeout how long a batch is retried before it counts as dropped
     */
    public record Producer(
            String compression,
            Duration linger,
            Duration maxBlock,
            long bufferMemory,
            Duration deliveryTimeout) {}

    public AnalyticsSettings {
        if (!(sampleRate >= 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException(
                    "gatehouse.analytics.sample-rate must be between 0 and 1, not " + sampleRate);
        }
        if (bufferSize < 2 || batchSize < 1) {
            throw new IllegalArgumentException(
                    "gatehouse.analytics.buffer-size must be at least 2 and batch-size at least 1");
        }
    }

    /**
     * True when a request is recorded, for a uniform draw in [0, 1): with the sample rate's
     * probability.
     */
    public boolean sampled(double draw) {
        return sampleRate >= 1 || draw < sampleRate;
    }
}
