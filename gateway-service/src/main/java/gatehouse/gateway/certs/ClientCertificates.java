package gatehouse.gateway.certs;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.TrustOptions;
import jakarta.inject.Singleton;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * The gateway's TLS listener (when {@code quarkus.http.ssl.*} configures one) asks every client for
 * a certificate and takes whichever it is sent, as Tyk's listener does: whether a certificate is
 * allowed is decided per API, from its {@code client_certificates} ({@link CertificateRegistry}),
 * once the request is routed. A client that sends none is served by APIs that need none.
 */
@Singleton
public class ClientCertificates implements HttpServerOptionsCustomizer {

    /** Accepts any client certificate at the handshake; never used for the server's own trust. */
    private static final X509TrustManager ANY_CLIENT =
            new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                    // decided per API after routing
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType)
                        throws java.security.cert.CertificateException {
                    throw new java.security.cert.CertificateException(
                            "the gateway's listener verifies no servers");
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            };

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        options.setClientAuth(ClientAuth.REQUEST);
        options.setTrustOptions(TrustOptions.wrap(ANY_CLIENT));
    }
}
