package gatehouse.contracts.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.tyk.TykJson;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;

/**
 * The one way a service calls another owner's internal HTTP surface: a request with the admin
 * secret and a deadline (never on a proxied request's path). Used for write-time read-throughs and
 * by the Dashboard, which asks the owners to list and change what they own.
 */
public final class OwnerCalls {

    private OwnerCalls() {}

    /**
     * An owner's answer.
     *
     * @param status the HTTP status
     * @param body the body as text
     */
    public record Answer(int status, String body) {

        /** The body as a JSON object, or null when it is not one. */
        public ObjectNode object() {
            return TykJson.readObject(body);
        }
    }

    /**
     * Sends a request with the admin secret and answers whatever the owner answered.
     *
     * @param body the JSON body, or null for none
     * @return the answer; a failure when no answer came within the timeout
     */
    public static Uni<Answer> send(
            HttpClient client,
            URI owner,
            HttpMethod method,
            String path,
            String body,
            String adminSecret,
            Duration timeout) {
        var options =
                new RequestOptions()
                        .setMethod(method)
                        .setHost(owner.getHost())
                        .setPort(owner.getPort())
                        .setSsl("https".equals(owner.getScheme()))
                        .setURI(path)
                        .setTimeout(timeout.toMillis())
                        .putHeader(AdminGuard.HEADER, adminSecret);
        if (body != null) {
            options.putHeader("content-type", "application/json");
        }
        return Uni.createFrom()
                .completionStage(
                        client.request(options)
                                .compose(
                                        request ->
                                                body == null ? request.send() : request.send(body))
                                .compose(
                                        response ->
                                                response.body()
                                                        .map(
                                                                text ->
                                                                        new Answer(
                                                                                response
                                                                                        .statusCode(),
                                                                                text.toString())))
                                .toCompletionStage());
    }

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
        return send(client, owner, HttpMethod.GET, path, null, adminSecret, timeout)
                .map(answer -> read(name, answer));
    }

    private static ObjectNode read(String name, Answer answer) {
        if (answer.status() == 404) {
            return null;
        }
        ObjectNode object = answer.status() == 200 ? answer.object() : null;
        if (object == null) {
            throw new IllegalStateException(name + " answered " + answer.status());
        }
        return object;
    }
}
