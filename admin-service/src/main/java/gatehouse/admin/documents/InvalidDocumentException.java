package gatehouse.admin.documents;

/** A document refused before anything is stored; the message is Tyk's text for the case. */
public class InvalidDocumentException extends RuntimeException {

    public InvalidDocumentException(String message) {
        super(message, null, false, false);
    }
}
