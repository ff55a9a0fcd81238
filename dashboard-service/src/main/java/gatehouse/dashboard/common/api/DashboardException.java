package gatehouse.dashboard.common.api;

/**
 * A Dashboard refusal: rendered by {@link DashboardExceptionMapper} as {@code
 * {"Status":"Error","Message":...,"Meta":null}} with the given status code.
 */
public class DashboardException extends RuntimeException {

    private final int status;

    public DashboardException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
