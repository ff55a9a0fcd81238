package gatehouse.contracts.analytics;

import com.fasterxml.jackson.core.type.TypeReference;
import gatehouse.contracts.tyk.TykJson;
import java.io.IOException;
import java.util.List;

/**
 * The value of one {@code gatehouse.analytics} record: a JSON array of the {@link AnalyticsRecord}s
 * of one API that one gateway batched together (the Kafka record's key is that API's id; the
 * producer compresses the batch).
 */
public final class AnalyticsBatch {

    private static final TypeReference<List<AnalyticsRecord>> RECORDS = new TypeReference<>() {};

    private AnalyticsBatch() {}

    /** The batch as the topic carries it: the JSON {@code TykJson.MAPPER} writes, made faster. */
    public static byte[] encode(List<AnalyticsRecord> records) {
        return AnalyticsJson.encode(records);
    }

    /**
     * The records of one batch.
     *
     * @throws IllegalArgumentException when the value is not a batch of records
     */
    public static List<AnalyticsRecord> decode(byte[] value) {
        try {
            List<AnalyticsRecord> records = TykJson.MAPPER.readValue(value, RECORDS);
            if (records == null) {
                throw new IllegalArgumentException("an analytics batch is a JSON array");
            }
            return records;
        } catch (IOException e) {
            throw new IllegalArgumentException("not an analytics batch: " + e.getMessage(), e);
        }
    }
}
