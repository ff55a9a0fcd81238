package gatehouse.gateway;

import gatehouse.testsupport.EchoUpstream;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** One echo server standing in for the upstream of test APIs and for the three owner services. */
public class EchoOwnersResource implements QuarkusTestResourceLifecycleManager {

    private static EchoUpstream echo;

    /** The echo server's base URL. */
    public static String url() {
        return echo.url();
    }

    @Override
    public Map<String, String> start() {
        echo =
                EchoUpstream.start(
                        java.util.Map.of(
                                "/gatehouse/keys/",
                                KeysOwnerStub::handle,
                                "/gatehouse/oauth/tokens/",
                                KeysOwnerStub::handle));
        return Map.of(
                "gatehouse.owners.admin.url",
                echo.url(),
                "gatehouse.owners.keys.url",
                echo.url(),
                "gatehouse.owners.oauth.url",
                echo.url(),
                "gatehouse.proxy.upstream-timeout",
                "2s");
    }

    @Override
    public void stop() {
        if (echo != null) {
            echo.close();
        }
    }
}
