package gatehouse.oauth.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.tyk.TykJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Tyk's {@code notifications.oauth_on_keychange_url}: after a token is issued or refreshed, the
 * API's notification URL is told, with {@code X-Tyk-Shared-Secret}; three attempts, ten seconds
 * apart.
 */
@ApplicationScoped
public class KeyChangeNotifier {

    private static final Logger LOGGER = Logger.getLogger(KeyChangeNotifier.class);
    private static final int ATTEMPTS = 3;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Sends the notification in the background when the API asks for one. */
    public void keyChanged(
            ObjectNode api,
            String type,
            String authCode,
            String newToken,
            String refreshToken,
            String oldRefreshToken) {
        String url = api.path("notifications").path("oauth_on_keychange_url").asText("");
        if (url.isEmpty()) {
            return;
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("auth_code", authCode == null ? "" : authCode);
        body.put("new_oauth_token", newToken);
        body.put("refresh_token", refreshToken == null ? "" : refreshToken);
        body.put("old_refresh_token", oldRefreshToken == null ? "" : oldRefreshToken);
        body.put("notification_type", type);
        HttpRequest request;
        try {
            request =
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .header(
                                    "X-Tyk-Shared-Secret",
                                    api.path("notifications").path("shared_secret").asText(""))
                            .POST(HttpRequest.BodyPublishers.ofString(TykJson.encode(body)))
                            .build();
        } catch (IllegalArgumentException e) {
            LOGGER.warnf("API %s: unusable oauth_on_keychange_url", api.path("api_id").asText());
            return;
        }
        send(request, 1, api.path("api_id").asText());
    }

    private void send(HttpRequest request, int attempt, String apiId) {
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .whenComplete(
                        (response, failure) -> {
                            if (failure == null && response.statusCode() < 500) {
                                return;
                            }
                            if (attempt >= ATTEMPTS) {
                                LOGGER.warnf(
                                        "API %s: OAuth key change notification not delivered after %d attempts",
                                        apiId, ATTEMPTS);
                                return;
                            }
                            CompletableFuture.delayedExecutor(10, TimeUnit.SECONDS)
                                    .execute(() -> send(request, attempt + 1, apiId));
                        });
    }
}
