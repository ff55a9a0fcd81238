package gatehouse.admin.apis.domain;

/** A definition refused before anything is stored; the message is Tyk's text for the case. */
public class InvalidApiDefinitionException extends RuntimeException {

    public InvalidApiDefinitionException(String message) {
        super(message, null, false, false);
    }
}
