package gatehouse.contracts.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;

/**
 * One record read from the audit topic: where it sits, the broker's time, and the entry it holds
 * (null when the record could not be read as one).
 *
 * @param partition the topic partition
 * @param offset the record's offset
 * @param logTime the broker's append time (the topic uses {@code LogAppendTime})
 * @param event the entry, or null when unreadable
 * @param error why the record is not an entry, or null
 */
public record AuditRecord(
        int partition, long offset, Instant logTime, AuditEvent event, String error) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Reads a record's value; an unreadable value gives a record with its error. */
    public static AuditRecord parse(int partition, long offset, Instant logTime, String value) {
        try {
            return new AuditRecord(
                    partition, offset, logTime, AuditEvent.fromJson(MAPPER.readTree(value)), null);
        } catch (Exception e) {
            return new AuditRecord(
                    partition, offset, logTime, null, String.valueOf(e.getMessage()));
        }
    }

    /** Where the record is, as people name it: {@code partition/offset}. */
    public String position() {
        return partition + "/" + offset;
    }
}
