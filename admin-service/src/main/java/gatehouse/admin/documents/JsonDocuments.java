package gatehouse.admin.documents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.contracts.tyk.TykMessages;

/**
 * Reads a request body as a JSON object, refusing anything else with Tyk's {@code Request
 * malformed}.
 */
public final class JsonDocuments {

    private JsonDocuments() {}

    /**
     * @throws InvalidDocumentException when the body is empty, not JSON, or not an object
     */
    public static ObjectNode readObject(String body) {
        ObjectNode document = TykJson.readObject(body);
        if (document == null) {
            throw new InvalidDocumentException(TykMessages.REQUEST_MALFORMED);
        }
        return document;
    }
}
