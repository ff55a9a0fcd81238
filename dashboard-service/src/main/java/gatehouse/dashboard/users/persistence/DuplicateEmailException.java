package gatehouse.dashboard.users.persistence;

/** Another user of the same organisation has this email address. */
public class DuplicateEmailException extends RuntimeException {

    public DuplicateEmailException() {
        super("email address taken", null, false, false);
    }
}
