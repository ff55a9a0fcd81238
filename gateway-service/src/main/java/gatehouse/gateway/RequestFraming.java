package gatehouse.gateway;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * What RFC 9112 asks a server to refuse with a 400 and a closed connection, beyond what the HTTP
 * decoder already refuses (bare CR or LF, conflicting Content-Length values, malformed header
 * lines): a missing or repeated Host, a repeated Content-Length, a Transfer-Encoding other than
 * chunked alone, and Transfer-Encoding beside Content-Length where the decoder left both. A request
 * the gateway cannot frame one way only is never forwarded.
 */
final class RequestFraming {

    private RequestFraming() {}

    /** Why the request is ambiguous, or null when it is framed one way only. */
    static String refusal(HttpServerRequest request) {
        MultiMap headers = request.headers();
        if (request.version() == null) {
            return "unsupported HTTP version"; // Netty accepts any HTTP/x.y; Vert.x knows 1.0 and
            // 1.1 here
        }
        if (request.version() == HttpVersion.HTTP_1_1) {
            int hosts = headers.getAll(HttpHeaderNames.HOST).size();
            if (hosts != 1) {
                return hosts == 0 ? "Host header missing" : "more than one Host header";
            }
        }
        String encoding = headers.get(HttpHeaderNames.TRANSFER_ENCODING);
        if (encoding != null) {
            if (headers.getAll(HttpHeaderNames.TRANSFER_ENCODING).size() > 1
                    || !encoding.trim().equalsIgnoreCase("chunked")) {
                // a coding before chunked would reach the upstream undeclared, as the gateway
                // re-frames the body
                return "Transfer-Encoding other than chunked alone";
            }
            if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)
                    || request.version() == HttpVersion.HTTP_1_0) {
                return "Transfer-Encoding and Content-Length together";
            }
        } else if (headers.getAll(HttpHeaderNames.CONTENT_LENGTH).size() > 1) {
            return "more than one Content-Length header";
        }
        return null;
    }
}
