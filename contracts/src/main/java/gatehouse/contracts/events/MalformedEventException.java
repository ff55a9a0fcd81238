package gatehouse.contracts.events;

/** An event on a Gatehouse topic that cannot be read; consumers count and skip it. */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message);
    }
}
