package gatehouse.keys.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** How far one partition of {@code gatehouse.usage} has been counted. */
@Entity
@Table(name = "usage_position")
public class UsagePositionEntity {

    @Id
    @Column(name = "usage_partition")
    public int partition;

    @Column(name = "next_offset", nullable = false)
    public long nextOffset;
}
