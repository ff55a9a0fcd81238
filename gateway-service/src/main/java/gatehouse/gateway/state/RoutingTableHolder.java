package gatehouse.gateway.state;

import gatehouse.gateway.routing.RoutingTable;
import jakarta.inject.Singleton;

/** The routing table in force; replaced whole by the replicator, read by every request. */
@Singleton
public class RoutingTableHolder {

    private volatile RoutingTable current = RoutingTable.EMPTY;

    public RoutingTable current() {
        return current;
    }

    void publish(RoutingTable table) {
        current = table;
    }
}
