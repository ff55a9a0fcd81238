package gatehouse.contracts.outbox;

import gatehouse.contracts.events.EventEnvelope;

/**
 * One row of a service's outbox: an event committed with the change it describes, not yet
 * published.
 *
 * @param id the row's sequence number; rows are published in this order
 * @param topic the topic to publish to
 * @param event the event; its subject is the record key
 */
public record OutboxEntry(long id, String topic, EventEnvelope event) {}
