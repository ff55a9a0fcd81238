package gatehouse.gateway.certs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.gateway.EchoOwnersResource;
import gatehouse.gateway.state.RoutingTableHolder;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.FileInputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mutual TLS through a real TLS listener (issue 15): an API with {@code use_mutual_tls_auth} lets
 * in the client certificates of its {@code client_certificates} and answers Tyk's texts for a
 * missing, unknown or expired one, and for a certificate deleted from the store. Certificates are
 * made by the JDK's keytool; the clients are the JDK's HTTP client.
 */
@QuarkusTest
@TestProfile(MutualTlsTest.Tls.class)
@QuarkusTestResource(GatehouseTestResource.class)
@QuarkusTestResource(EchoOwnersResource.class)
class MutualTlsTest {

    private static final String PASSWORD = "changeit-test";
    private static final Path DIR = directory();
    private static boolean published;

    @TestHTTPResource(value = "/", tls = true)
    URL tls;

    @TestHTTPResource("/")
    URL plain;

    @Inject RoutingTableHolder tables;
    @Inject CertificateRegistry certificates;

    /** The listener: a server certificate made for the test, client certificates requested. */
    public static class Tls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            keytool("server", "CN=localhost", "2", null);
            return Map.of(
                    "quarkus.http.ssl.certificate.key-store-file",
                    DIR.resolve("server.p12").toString(),
                    "quarkus.http.ssl.certificate.key-store-password",
                    PASSWORD,
                    "quarkus.http.test-ssl-port",
                    "0",
                    "quarkus.http.insecure-requests",
                    "enabled");
        }
    }

    private static Path directory() {
        try {
            return Files.createTempDirectory("gatehouse-mtls");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key pair and self-signed certificate in {@code <name>.p12}, and the certificate's PEM. */
    private static synchronized void keytool(
            String name, String subject, String validityDays, String startDate) {
        if (Files.exists(DIR.resolve(name + ".p12"))) {
            return;
        }
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> generate =
                new java.util.ArrayList<>(
                        List.of(
                                keytool,
                                "-genkeypair",
                                "-alias",
                                name,
                                "-keyalg",
                                "RSA",
                                "-keysize",
                                "2048",
                                "-dname",
                                subject,
                                "-ext",
                                "SAN=dns:localhost,ip:127.0.0.1",
                                "-validity",
                                validityDays,
                                "-keystore",
                                DIR.resolve(name + ".p12").toString(),
                                "-storetype",
                                "PKCS12",
                                "-storepass",
                                PASSWORD));
        if (startDate != null) {
            generate.addAll(List.of("-startdate", startDate));
        }
        run(generate);
        run(
                List.of(
                        keytool,
                        "-exportcert",
                        "-rfc",
                        "-alias",
                        name,
                        "-keystore",
                        DIR.resolve(name + ".p12").toString(),
                        "-storepass",
                        PASSWORD,
                        "-file",
                        DIR.resolve(name + ".pem").toString()));
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + ": " + out);
            }
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String name) throws Exception {
        return Files.readString(DIR.resolve(name + ".pem"));
    }

    private static String fingerprint(String name) throws Exception {
        X509Certificate certificate;
        try (var in = Files.newInputStream(DIR.resolve(name + ".pem"))) {
            certificate =
                    (X509Certificate)
                            CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }

    private static void publish(String topic, String type, String id, String data) {
        TopicRecords.publish(
                topic,
                new EventEnvelope(
                        UUID.randomUUID().toString(),
                        "/test",
                        type,
                        id,
                        Instant.now(),
                        "test",
                        null,
                        System.currentTimeMillis(),
                        data));
    }

    private static String certificateDocument(String id, String name) throws Exception {
        return gatehouse.contracts.tyk.TykJson.MAPPER
                .createObjectNode()
                .put("id", id)
                .put("org_id", "default")
                .put("chain", pem(name))
                .toString();
    }

    @BeforeEach
    void publishOnce() throws Exception {
        if (published) {
            return;
        }
        keytool("allowed", "CN=allowed-client", "2", null);
        keytool("unknown", "CN=unknown-client", "2", null);
        keytool("expired", "CN=expired-client", "1", "-3d");
        String allowed = "default" + fingerprint("allowed");
        String expired = "default" + fingerprint("expired");
        publish(
                Topics.CERTS.name(),
                EventTypes.CERT_UPSERTED,
                allowed,
                certificateDocument(allowed, "allowed"));
        publish(
                Topics.CERTS.name(),
                EventTypes.CERT_UPSERTED,
                expired,
                certificateDocument(expired, "expired"));
        publish(
                Topics.APIS.name(),
                EventTypes.API_UPSERTED,
                "mtls",
                """
                {"api_id":"mtls","name":"mTLS","org_id":"default","use_keyless":true,
                 "use_mutual_tls_auth":true,"client_certificates":["%s","%s"],
                 "proxy":{"listen_path":"/mtls/","target_url":"%s"}}"""
                        .formatted(allowed, expired, EchoOwnersResource.url())
                        .replace("\n", ""));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> tables.current().api("mtls") != null && certificates.size() >= 2);
        published = true;
    }

    private HttpResponse<String> call(String client, URL base) throws Exception {
        return call(client, base, "/mtls/x");
    }

    private HttpResponse<String> call(String client, URL base, String path) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        KeyManagerFactory keys = null;
        if (client != null) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (var in = new FileInputStream(DIR.resolve(client + ".p12").toFile())) {
                store.load(in, PASSWORD.toCharArray());
            }
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD.toCharArray());
        }
        // the test trusts the gateway's self-signed certificate
        TrustManager[] trustTheGateway = {
            new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }
        };
        context.init(keys == null ? null : keys.getKeyManagers(), trustTheGateway, null);
        HttpClient http =
                HttpClient.newBuilder()
                        .sslContext(context)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
        return http.send(
                HttpRequest.newBuilder(URI.create(base.toString()).resolve(path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String error(String message) {
        return "{\n    \"error\": \"" + message + "\"\n}";
    }

    @Test
    void anAllowedCertificateIsLetInAndEveryOtherCaseGetsTyksText() throws Exception {
        assertEquals(200, call("allowed", tls).statusCode());
        var none = call(null, tls);
        assertEquals(403, none.statusCode());
        assertEquals(error("Client TLS certificate is required"), none.body());
        var unknown = call("unknown", tls);
        assertEquals(403, unknown.statusCode());
        assertEquals(
                error("Certificate with SHA256 " + fingerprint("unknown") + " not allowed"),
                unknown.body());
        var expired = call("expired", tls);
        assertEquals(403, expired.statusCode());
        assertEquals(error("Certificate has expired"), expired.body());
        var cleartext = call(null, plain);
        assertEquals(403, cleartext.statusCode());
        assertEquals(error("TLS not enabled"), cleartext.body());
    }

    @Test
    void aCertificateDeletedFromTheStoreIsRefusedFromThenOn() throws Exception {
        keytool("removed", "CN=removed-client", "2", null);
        String removed = "default" + fingerprint("removed");
        publish(
                Topics.CERTS.name(),
                EventTypes.CERT_UPSERTED,
                removed,
                certificateDocument(removed, "removed"));
        publish(
                Topics.APIS.name(),
                EventTypes.API_UPSERTED,
                "mtls-removed",
                """
                {"api_id":"mtls-removed","name":"mTLS","org_id":"default","use_keyless":true,
                 "use_mutual_tls_auth":true,"client_certificates":["%s"],
                 "proxy":{"listen_path":"/mtls-removed/","target_url":"%s"}}"""
                        .formatted(removed, EchoOwnersResource.url())
                        .replace("\n", ""));
        URL base = tls;
        await().atMost(Duration.ofSeconds(20))
                .until(() -> status("removed", base, "/mtls-removed/x") == 200);
        publish(Topics.CERTS.name(), EventTypes.CERT_DELETED, removed, null);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> status("removed", base, "/mtls-removed/x") == 403);
    }

    private int status(String client, URL base, String path) throws Exception {
        return call(client, base, path).statusCode();
    }
}
