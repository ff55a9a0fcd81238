package gatehouse.local;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One suite per home. */
class HomeLockTest {

    @Test
    void aSecondSuiteOnTheSameHomeIsRefusedUntilTheFirstLetsGo(@TempDir Path home)
            throws Exception {
        HomeLock first = HomeLock.take(home.resolve("gatehouse"));
        IllegalStateException refused =
                assertThrows(
                        IllegalStateException.class,
                        () -> HomeLock.take(home.resolve("gatehouse")));
        assertTrue(refused.getMessage().contains("GATEHOUSE_HOME"), refused.getMessage());
        // another home is free meanwhile
        HomeLock.take(home.resolve("elsewhere")).close();
        first.close();
        HomeLock.take(home.resolve("gatehouse")).close();
    }
}
