package gatehouse.contracts.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.tyk.TykJson;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;

/**
 * The one way a service reads a document from another owner's internal HTTP surface: a GET with the
 * admin secret and a deadline (never on a proxied request's path). Used for write-time
 * read-throughs.
 */
public final class OwnerCalls {

    private OwnerCalls() {}

    /**
     * Reads a JSON object.
     *
     * @param owner the owner's base URL
     * @param name the owner's name, for the failure's message
     * @return the object; null when the owner answers 404; a failure on any other answer, on a body
     *     that is not a JSON object, or when no answer came within the timeout
     */
    public static Uni<ObjectNode> getObject(
            HttpClient client,
            URI owner,
            String name,
            String path,
            String adminSecret,
            Duration timeout) {
        var options =
                new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setHost(owner.getHost())
                        .setPort(owner.getPort())
                        .setSsl("https".equals(owner.getScheme()))
                        .setURI(path)
                        .setTimeout(timeout.toMillis())
                        .putHeader(AdminGuard.HEADER, adminSecret);
        return Uni.createFrom()
                .completionStage(
                        client.request(options)
                                .compose(request -> request.send())
                                .compose(
                                        response ->
                                                response.body()
                                                        .map(
                                                                body ->
                                                                        read(
                                                                                name,
                                                                                response,
                                                                                body.toString())))
                                .toCompletionStage());
    }

    private static ObjectNode read(String name, HttpClientResponse response, String body) {
        if (response.statusCode() == 404) {
            return null;
        }
        ObjectNode object = response.statusCode() == 200 ? TykJson.readObject(body) : null;
        if (object == null) {
            throw new IllegalStateException(name + " answered " + response.statusCode());
        }
        return object;
    }
}
