package gatehouse.local;

/**
 * A stand-in service for {@link SupervisorTest}: announces each run in its log (with the
 * configuration it was given, so a restart can be seen to keep it), then runs until killed, or
 * exits on its own when {@code -Dchild.exit-after-ms} is set. Kept free of other classes: the test
 * packs it alone into a jar.
 */
public final class SupervisedChild {

    private SupervisedChild() {}

    public static void main(String[] args) throws InterruptedException {
        System.out.println(
                "started pid="
                        + ProcessHandle.current().pid()
                        + " port="
                        + System.getProperty("child.port"));
        System.out.flush();
        // its lifetime (0: until it is killed, as a service runs), then it dies as a crashing
        // service would
        Thread.currentThread().join(Long.getLong("child.exit-after-ms", 0));
        System.exit(Integer.getInteger("child.exit-code", 3));
    }
}
