/**
 * What the Gatehouse services share, and nothing else: the event envelope and its CloudEvents Kafka
 * binding, topic names, the Tyk data model and wire format, and the admin secret check. No service
 * imports another service; anything two services need lives here.
 */
package gatehouse.contracts;
