package gatehouse.contracts.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** A dependency outage is a 503 in Tyk's envelope; our own faults stay 500s. */
class DependencyFailuresTest {

    @Test
    void aRefusedOrTimedOutConnectionAnywhereInTheCauseChainIsAnOutage() {
        assertTrue(DependencyFailures.isUnavailable(new ConnectException("Connection refused")));
        assertTrue(
                DependencyFailures.isUnavailable(
                        new CompletionException(
                                new IllegalStateException(
                                        "wrapped", new ConnectException("Connection refused")))));
        assertTrue(DependencyFailures.isUnavailable(new java.util.concurrent.TimeoutException()));
        assertFalse(
                DependencyFailures.isUnavailable(new IllegalArgumentException("a bug of ours")));
        assertFalse(DependencyFailures.isUnavailable(new NullPointerException()));
    }

    @Test
    void theMapperAnswersAnOutageWith503AndABugWith500InTheEnvelope() {
        var mapper = new TykExceptionMapper();
        var outage =
                mapper.unexpected(
                        new CompletionException(new ConnectException("Connection refused")));
        assertEquals(503, outage.getStatus());
        assertEquals(
                "{\"status\":\"error\",\"message\":\"" + DependencyFailures.MESSAGE + "\"}\n",
                outage.getEntity());
        var bug = mapper.unexpected(new IllegalStateException("oops"));
        assertEquals(500, bug.getStatus());
        assertEquals(
                "{\"status\":\"error\",\"message\":\"Internal server error\"}\n", bug.getEntity());
    }
}
