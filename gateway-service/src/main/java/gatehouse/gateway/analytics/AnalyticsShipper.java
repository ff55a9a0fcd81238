package gatehouse.gateway.analytics;

import gatehouse.contracts.analytics.AnalyticsBatch;
import gatehouse.contracts.analytics.AnalyticsRecord;
import gatehouse.contracts.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * The recorder's one thread: takes up to a batch of traces or waits up to the flush interval, makes
 * their records, groups them by API and sends one {@code gatehouse.analytics} record per API (key
 * the API id, value {@link AnalyticsBatch}) with a plain Kafka producer: compressed, idempotent,
 * acknowledged by all replicas.
 *
 * <p>A broker outage never costs records while the buffers hold: a send the producer refuses for a
 * retriable reason (no metadata for the topic, which is what a producer that rebootstrapped during
 * the outage has, or its buffer full) keeps its records held here and is tried again after a short
 * pause, and meanwhile new traces wait in the recorder's bounded queue, which drops and counts once
 * it is full. Only a send the producer gives up on after accepting it (past the delivery timeout)
 * or refuses for good counts its records as dropped.
 */
final class AnalyticsShipper {

    private static final Logger LOGGER = Logger.getLogger(AnalyticsShipper.class);
    private static final String TOPIC = Topics.ANALYTICS.name();
    private static final byte[] TYPE = "gatehouse.analytics.batch".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SPEC_VERSION = "1.0".getBytes(StandardCharsets.UTF_8);
    private static final long BUSY_PARK = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long IDLE_PARK = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long RETRY_PAUSE = TimeUnit.MILLISECONDS.toNanos(250);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(30);
    private static final long WARN_EVERY = TimeUnit.SECONDS.toNanos(10);

    private final AnalyticsRecorder recorder;
    private final AnalyticsSettings settings;
    private final String bootstrapServers;
    private final String nodeId;
    private final byte[] source;
    private final Thread thread;
    private volatile boolean running = true;
    private KafkaProducer<String, byte[]> producer;
    private long lastWarning;

    /** Records a retriable refusal kept back, by API, to be sent before anything new. */
    private final Map<String, List<AnalyticsRecord>> held = new LinkedHashMap<>();

    /** Set while this thread is inside {@code producer.send}: a callback then is a refusal. */
    private boolean sending;

    private Exception refusal;

    AnalyticsShipper(
            AnalyticsRecorder recorder,
            AnalyticsSettings settings,
            String bootstrapServers,
            String nodeId) {
        this.recorder = recorder;
        this.settings = settings;
        this.bootstrapServers = bootstrapServers;
        this.nodeId = nodeId;
        this.source = ("/gatehouse/gateway-service/" + nodeId).getBytes(StandardCharsets.UTF_8);
        this.thread = new Thread(this::run, "gatehouse-analytics-shipper");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Ships what is queued, then waits for the broker's acknowledgements, within the timeout. */
    void close(Duration timeout) {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOGGER.warn("the analytics shipper did not finish in time; queued records are lost");
        }
    }

    private void run() {
        try {
            producer = createProducer();
        } catch (KafkaException e) {
            LOGGER.errorf(e, "no analytics producer: records will be counted as dropped");
            return;
        }
        awaitTopic(STARTUP_WAIT);
        List<RequestTrace> batch = new ArrayList<>(settings.batchSize());
        long flushNanos = settings.flushInterval().toNanos();
        long deadline = System.nanoTime() + flushNanos;
        try {
            while (running) {
                if (!held.isEmpty()) {
                    // the broker refused the last batches: they go first, after a pause
                    LockSupport.parkNanos(RETRY_PAUSE);
                    sendHeld();
                    deadline = System.nanoTime() + flushNanos;
                    continue;
                }
                take(batch);
                long now = System.nanoTime();
                if (batch.size() >= settings.batchSize() || now - deadline >= 0) {
                    ship(batch);
                    deadline = System.nanoTime() + flushNanos;
                } else {
                    long park = batch.isEmpty() ? IDLE_PARK : BUSY_PARK;
                    LockSupport.parkNanos(Math.min(park, deadline - now));
                }
            }
            // shutdown: what is still queued leaves now, once; what the broker refuses is lost
            do {
                ship(batch);
                take(batch);
            } while (!batch.isEmpty() && held.isEmpty());
            sendHeld();
            int lost = heldCount();
            if (lost > 0) {
                recorder.dropped(lost);
                held.clear();
                LOGGER.warnf(
                        "%d analytics records lost at shutdown: the broker refused them", lost);
            }
        } catch (RuntimeException e) {
            LOGGER.errorf(e, "the analytics shipper stopped");
        } finally {
            producer.close(
                    Duration.ofMillis(
                            Math.min(5_000, settings.producer().deliveryTimeout().toMillis())));
        }
    }

    private void take(List<RequestTrace> batch) {
        while (batch.size() < settings.batchSize()) {
            RequestTrace trace = recorder.poll();
            if (trace == null) {
                return;
            }
            batch.add(trace);
        }
    }

    private void ship(List<RequestTrace> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Map<String, List<AnalyticsRecord>> byApi = new LinkedHashMap<>();
        for (RequestTrace trace : batch) {
            AnalyticsRecord record;
            try {
                record = trace.toRecord();
            } catch (RuntimeException e) {
                recorder.dropped(1);
                warn("an analytics record could not be made: " + e);
                continue;
            }
            byApi.computeIfAbsent(record.apiId(), id -> new ArrayList<>()).add(record);
        }
        batch.clear();
        byApi.forEach(
                (apiId, records) -> {
                    if (!held.isEmpty() || !send(apiId, records)) {
                        held.merge(
                                apiId,
                                records,
                                (kept, more) -> {
                                    kept.addAll(more);
                                    return kept;
                                });
                    }
                });
    }

    /** Sends the held records again, keeping what is refused again. */
    private void sendHeld() {
        var apis = held.entrySet().iterator();
        while (apis.hasNext()) {
            var api = apis.next();
            if (!send(api.getKey(), api.getValue())) {
                warn("the broker is not reachable: " + heldCount() + " analytics records held");
                return;
            }
            apis.remove();
        }
    }

    private int heldCount() {
        int count = 0;
        for (List<AnalyticsRecord> records : held.values()) {
            count += records.size();
        }
        return count;
    }

    /**
     * Hands one API's records to the producer; false when the producer refused them for a retriable
     * reason before taking them (they may be sent again without being counted twice).
     */
    private boolean send(String apiId, List<AnalyticsRecord> records) {
        int count = records.size();
        ProducerRecord<String, byte[]> record;
        try {
            record = new ProducerRecord<>(TOPIC, apiId, AnalyticsBatch.encode(records));
        } catch (RuntimeException e) {
            recorder.dropped(count);
            warn("analytics records could not be encoded: " + e);
            return true;
        }
        record.headers()
                .add("ce_specversion", SPEC_VERSION)
                .add("ce_type", TYPE)
                .add("ce_source", source)
                .add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        refusal = null;
        sending = true;
        try {
            producer.send(
                    record,
                    (metadata, failure) -> {
                        if (failure == null) {
                            recorder.sent(count);
                        } else if (sending
                                && Thread.currentThread() == thread
                                && failure instanceof RetriableException) {
                            // called back inside send: refused before being taken
                            refusal = failure;
                        } else {
                            recorder.dropped(count);
                            warn("analytics records dropped: " + failure.getMessage());
                        }
                    });
        } catch (RetriableException e) {
            refusal = e;
        } catch (KafkaException | IllegalStateException e) {
            // a refusal for good the producer throws instead of reporting through the callback
            recorder.dropped(count);
            warn("analytics records dropped: " + e.getMessage());
        } finally {
            sending = false;
        }
        return refusal == null;
    }

    /**
     * Waits (records queue meanwhile) until the producer knows the topic, so the first batches of a
     * starting node are not refused for want of metadata; a broker still absent after the wait is
     * an outage like any other.
     */
    private void awaitTopic(Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        while (running && !knowsTopic() && System.nanoTime() - until < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    /** True once the producer knows the topic's partitions (else its first sends would fail). */
    private boolean knowsTopic() {
        try {
            return !producer.partitionsFor(TOPIC).isEmpty();
        } catch (KafkaException e) {
            return false;
        }
    }

    private void warn(String message) {
        long now = System.nanoTime();
        if (lastWarning == 0 || now - lastWarning >= WARN_EVERY) {
            lastWarning = now;
            var figures = recorder.figures();
            LOGGER.warnf(
                    "%s (so far: %d recorded, %d sent, %d dropped)",
                    message, figures.recorded(), figures.sent(), figures.dropped());
        }
    }

    private KafkaProducer<String, byte[]> createProducer() {
        var producer = settings.producer();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "gatehouse-analytics-" + nodeId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression(producer.compression()));
        config.put(ProducerConfig.LINGER_MS_CONFIG, (int) producer.linger().toMillis());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, producer.maxBlock().toMillis());
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, producer.bufferMemory());
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        long delivery = producer.deliveryTimeout().toMillis();
        long request = Math.min(30_000, delivery - producer.linger().toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1, request));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** lz4 needs lz4-java on the class path; without it the batches are gzipped. */
    static String compression(String configured) {
        String wanted = configured == null ? "lz4" : configured.trim().toLowerCase();
        if (wanted.equals("lz4") && !onClassPath("net.jpountz.lz4.LZ4Factory")) {
            LOGGER.info("lz4-java is not on the class path: analytics batches are gzipped");
            return "gzip";
        }
        if (wanted.equals("zstd") && !onClassPath("com.github.luben.zstd.Zstd")) {
            LOGGER.info("zstd-jni is not on the class path: analytics batches are gzipped");
            return "gzip";
        }
        return wanted;
    }

    private static boolean onClassPath(String className) {
        try {
            Class.forName(className, false, AnalyticsShipper.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
