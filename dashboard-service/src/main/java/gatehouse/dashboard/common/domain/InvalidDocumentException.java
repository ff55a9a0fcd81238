package gatehouse.dashboard.common.domain;

/** A request document (user, group, organisation) that cannot be stored, and why. */
public class InvalidDocumentException extends RuntimeException {

    public InvalidDocumentException(String message) {
        super(message, null, false, false);
    }
}
