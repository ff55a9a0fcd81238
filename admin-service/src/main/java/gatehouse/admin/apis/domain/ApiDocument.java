package gatehouse.admin.apis.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.tyk.ApiDefinition;

/**
 * A validated Tyk API definition: the whole document as sent (fields we do not model included) and
 * the routing view read from it.
 *
 * @param document the definition, with {@code api_id} filled in
 * @param definition the fields Gatehouse routes on
 */
public record ApiDocument(ObjectNode document, ApiDefinition definition) {

    public String apiId() {
        return definition.apiId();
    }

    public String orgId() {
        return definition.orgId();
    }

    public String listenPath() {
        return definition.proxy().listenPath();
    }
}
