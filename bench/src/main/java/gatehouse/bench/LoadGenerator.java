package gatehouse.bench;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Drives closed-loop load at a fixed number of connections, one HTTP/1.1 request at a time each.
 */
interface LoadGenerator {

    /** What it is, for the report. */
    String describe();

    LoadResult run(URI url, Map<String, String> headers, int connections, Duration duration);
}
