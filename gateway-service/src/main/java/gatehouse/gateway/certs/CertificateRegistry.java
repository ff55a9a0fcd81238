package gatehouse.gateway.certs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.MalformedEventException;
import gatehouse.contracts.tyk.CertificatePem;
import gatehouse.contracts.tyk.TykJson;
import jakarta.inject.Singleton;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The certificates of {@code /tyk/certs} this node knows, from {@code gatehouse.certs}, and Tyk's
 * client-certificate check of an API with {@code use_mutual_tls_auth} ({@code
 * ValidateRequestCerts}).
 */
@Singleton
public class CertificateRegistry {

    /** A certificate as the check needs it. */
    record Held(
            long version,
            X509Certificate leaf,
            String fingerprint,
            boolean ca,
            java.security.PublicKey publicKey) {}

    private final Map<String, Held> certificates = new ConcurrentHashMap<>();
    private final Map<String, Long> deleted = new ConcurrentHashMap<>();

    /**
     * Applies one event of {@code gatehouse.certs}.
     *
     * @throws MalformedEventException when it cannot be applied
     */
    public void apply(EventEnvelope event) {
        String id = event.subject();
        if (event.isTombstone() || EventTypes.CERT_DELETED.equals(event.type())) {
            deleted.merge(id, event.version(), Math::max);
            certificates.computeIfPresent(
                    id, (k, held) -> held.version() < event.version() ? null : held);
            return;
        }
        if (!EventTypes.CERT_UPSERTED.equals(event.type())) {
            throw new MalformedEventException(
                    "unknown event type " + event.type() + " on the certificates topic");
        }
        Long gone = deleted.get(id);
        if (gone != null && gone >= event.version()) {
            return;
        }
        ObjectNode document = TykJson.readObject(event.data());
        if (document == null) {
            throw new MalformedEventException("a certificate event without a document");
        }
        CertificatePem pem;
        try {
            // one that has expired since it was added is kept: the check answers that it has
            pem = CertificatePem.read(document.path("chain").asText(""), new Date(0));
        } catch (CertificatePem.Refused e) {
            throw new MalformedEventException("an unreadable certificate: " + e.getMessage());
        }
        Held next =
                new Held(
                        event.version(),
                        pem.leaf(),
                        pem.fingerprint(),
                        pem.isCa(),
                        pem.publicKey());
        certificates.merge(
                id, next, (old, fresh) -> old.version() >= fresh.version() ? old : fresh);
    }

    /**
     * The public key of a certificate (or of a public key) in the store, or null when it holds none
     * of that id.
     */
    public java.security.PublicKey publicKey(String id) {
        Held held = certificates.get(id);
        return held == null ? null : held.publicKey();
    }

    /** True when the store holds a certificate (or public key) of this id. */
    public boolean holds(String id) {
        return certificates.containsKey(id);
    }

    /**
     * Tyk's id of a client certificate presented under an org: the org id and the SHA-256 of its
     * DER, in hex, as the store names certificates.
     */
    public static String idOf(String orgId, X509Certificate certificate) {
        return (orgId == null ? "" : orgId)
                + CertificatePem.sha256(CertificatePem.der(certificate));
    }

    /**
     * The client's certificates, leaf first: none when it sent none; null when the connection is
     * not TLS.
     */
    public static List<Certificate> presented(io.vertx.core.http.HttpServerRequest request) {
        if (!request.isSSL()) {
            return null;
        }
        try {
            return request.connection().peerCertificates();
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    /** How many certificates this node holds. */
    public int size() {
        return certificates.size();
    }

    /**
     * Tyk's check of a request's client certificates against an API's allowed ones.
     *
     * @param peer the client's certificates, leaf first; null when the connection is not TLS
     * @return null when allowed, else Tyk's text (a 403)
     */
    public String refusal(List<Certificate> peer, List<String> allowed, long nowMillis) {
        if (peer == null) {
            return "TLS not enabled";
        }
        if (peer.isEmpty()) {
            return "Client TLS certificate is required";
        }
        for (Certificate presented : peer) {
            if (!(presented instanceof X509Certificate certificate)) {
                continue;
            }
            String fingerprint = idOf("", certificate);
            for (String id : allowed) {
                Held held = certificates.get(id);
                if (held == null || held.leaf() == null) {
                    continue;
                }
                if (held.ca() && signedBy(certificate, held.leaf(), nowMillis)) {
                    return null;
                }
                if (held.fingerprint().equals(fingerprint)) {
                    return held.leaf().getNotAfter().getTime() < nowMillis
                            ? "Certificate has expired"
                            : null;
                }
            }
        }
        X509Certificate first = (X509Certificate) peer.get(0);
        return "Certificate with SHA256 " + idOf("", first) + " not allowed";
    }

    private static boolean signedBy(
            X509Certificate certificate, X509Certificate ca, long nowMillis) {
        try {
            certificate.verify(ca.getPublicKey());
            certificate.checkValidity(new Date(nowMillis));
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
