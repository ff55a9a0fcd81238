package gatehouse.contracts.http;

/**
 * A control-API refusal: rendered by {@link TykExceptionMapper} as Tyk's {@code
 * {"status":"error","message":...}} envelope with the given status code.
 */
public class TykException extends RuntimeException {

    private final int status;

    public TykException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
