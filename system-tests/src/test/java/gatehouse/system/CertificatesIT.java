package gatehouse.system;

import static gatehouse.system.RunningSuite.admin;
import static gatehouse.system.RunningSuite.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

import gatehouse.local.Ports;
import gatehouse.testsupport.TestCertificates;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mutual TLS on three gateway nodes with TLS listeners and the real certificate store (issue 15):
 * certificates added, expiring and deleted through {@code /tyk/certs} are allowed or refused on
 * every node, with Tyk's texts.
 */
class CertificatesIT {

    private static final TestCertificates CERTIFICATES = new TestCertificates();
    private static final List<Integer> TLS_PORTS = new ArrayList<>();
    private static RunningSuite running;

    @BeforeAll
    static void startThreeGatewaysWithTls() {
        String keystore = CERTIFICATES.make("gateway", 2, null).keystore().toString();
        running =
                RunningSuite.start(
                        3,
                        node -> {
                            int port = Ports.free();
                            synchronized (TLS_PORTS) {
                                TLS_PORTS.add(port);
                            }
                            return Map.of(
                                    "quarkus.http.ssl-port",
                                    Integer.toString(port),
                                    "quarkus.http.ssl.certificate.key-store-file",
                                    keystore,
                                    "quarkus.http.ssl.certificate.key-store-password",
                                    TestCertificates.PASSWORD);
                        });
    }

    @AfterAll
    static void stop() {
        if (running != null) {
            running.close();
        }
    }

    private static URI control(String path) {
        return running.gateways.get(0).url().resolve(path);
    }

    private static String addCertificate(TestCertificates.Made made) {
        var response =
                send(
                        admin(control("/tyk/certs?org_id=default"))
                                .POST(HttpRequest.BodyPublishers.ofString(made.certificatePem()))
                                .build());
        assertEquals(200, response.statusCode(), response.body());
        return "default" + made.fingerprint();
    }

    private static void putApi(String... certificates) {
        String definition =
                """
                {"api_id":"certs-it","name":"Certificates IT","org_id":"default","use_keyless":true,
                 "use_mutual_tls_auth":true,"client_certificates":["%s"],
                 "proxy":{"listen_path":"/certs-it/","target_url":"%s/","strip_listen_path":true}}"""
                        .formatted(String.join("\",\"", certificates), running.upstream.url());
        var response =
                send(
                        admin(control("/tyk/apis"))
                                .POST(HttpRequest.BodyPublishers.ofString(definition))
                                .build());
        assertEquals(200, response.statusCode(), response.body());
    }

    /** What each node answers a client presenting {@code client}: status and text. */
    private static List<String> answers(TestCertificates.Made client) {
        List<String> answers = new ArrayList<>();
        var http = TestCertificates.client(client);
        for (int port : TLS_PORTS) {
            try {
                var response =
                        http.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "https://127.0.0.1:"
                                                                + port
                                                                + "/certs-it/x"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                answers.add(
                        response.statusCode()
                                + (response.statusCode() == 200
                                        ? ""
                                        : " " + response.body().replaceAll("\\s+", " ")));
            } catch (Exception e) {
                answers.add("failed: " + e.getMessage());
            }
        }
        return answers;
    }

    private static void everyNodeAnswers(
            TestCertificates.Made client, String expected, Duration within) {
        Awaitility.await()
                .atMost(within)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(
                        () -> assertEquals(List.of(expected, expected, expected), answers(client)));
    }

    private static String refused(String message) {
        return "403 { \"error\": \"" + message + "\" }";
    }

    @Test
    void allowedUnknownExpiringAndDeletedCertificatesOnEveryNode() {
        TestCertificates.Made allowed = CERTIFICATES.make("it-allowed", 2, null);
        TestCertificates.Made unknown = CERTIFICATES.make("it-unknown", 2, null);
        // valid for the next 20 seconds only: added while valid, then expired
        TestCertificates.Made expiring = CERTIFICATES.make("it-expiring", 1, "-1d+20S");
        String allowedId = addCertificate(allowed);
        String expiringId = addCertificate(expiring);
        putApi(allowedId, expiringId);

        everyNodeAnswers(allowed, "200", Duration.ofSeconds(10));
        everyNodeAnswers(
                unknown,
                refused("Certificate with SHA256 " + unknown.fingerprint() + " not allowed"),
                Duration.ofSeconds(5));
        everyNodeAnswers(
                null, refused("Client TLS certificate is required"), Duration.ofSeconds(5));
        everyNodeAnswers(expiring, refused("Certificate has expired"), Duration.ofSeconds(40));

        var deleted = send(admin(control("/tyk/certs/" + allowedId)).DELETE().build());
        assertEquals(200, deleted.statusCode(), deleted.body());
        everyNodeAnswers(
                allowed,
                refused("Certificate with SHA256 " + allowed.fingerprint() + " not allowed"),
                Duration.ofSeconds(5));

        String unknownId = addCertificate(unknown);
        putApi(unknownId);
        everyNodeAnswers(unknown, "200", Duration.ofSeconds(5));
    }
}
