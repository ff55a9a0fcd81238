package gatehouse.gateway.certs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.gateway.EchoOwnersResource;
import gatehouse.gateway.state.RoutingTableHolder;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TestCertificates;
import gatehouse.testsupport.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mutual TLS through a real TLS listener (issue 15): an API with {@code use_mutual_tls_auth} lets
 * in the client certificates of its {@code client_certificates} and answers Tyk's texts for a
 * missing, unknown or expired one, and for a certificate deleted from the store.
 */
@QuarkusTest
@TestProfile(MutualTlsTest.Tls.class)
@QuarkusTestResource(GatehouseTestResource.class)
@QuarkusTestResource(EchoOwnersResource.class)
class MutualTlsTest {

    private static final TestCertificates CERTIFICATES = new TestCertificates();
    private static boolean published;

    @TestHTTPResource(value = "/", tls = true)
    URL tls;

    @TestHTTPResource("/")
    URL plain;

    @Inject RoutingTableHolder tables;
    @Inject CertificateRegistry certificates;

    /** The listener: a server certificate made for the test; client certificates requested. */
    public static class Tls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.http.ssl.certificate.key-store-file",
                    CERTIFICATES.make("server", 2, null).keystore().toString(),
                    "quarkus.http.ssl.certificate.key-store-password",
                    TestCertificates.PASSWORD,
                    "quarkus.http.test-ssl-port",
                    "0",
                    "quarkus.http.insecure-requests",
                    "enabled");
        }
    }

    private static void publish(String topic, String type, String id, String data) {
        TopicRecords.publish(topic, type, id, data);
    }

    /** A certificate as admin-service publishes it. */
    private static String publishCertificate(TestCertificates.Made made) {
        String id = "default" + made.fingerprint();
        publish(
                Topics.CERTS.name(),
                EventTypes.CERT_UPSERTED,
                id,
                TykJson.MAPPER
                        .createObjectNode()
                        .put("id", id)
                        .put("org_id", "default")
                        .put("chain", made.certificatePem())
                        .toString());
        return id;
    }

    private static void publishApi(String id, String... certificates) {
        publish(
                Topics.APIS.name(),
                EventTypes.API_UPSERTED,
                id,
                """
                {"api_id":"%s","name":"mTLS","org_id":"default","use_keyless":true,
                 "use_mutual_tls_auth":true,"client_certificates":%s,
                 "proxy":{"listen_path":"/%s/","target_url":"%s"}}"""
                        .formatted(
                                id,
                                TykJson.encode(java.util.List.of(certificates)).strip(),
                                id,
                                EchoOwnersResource.url())
                        .replace("\n", ""));
    }

    @BeforeEach
    void publishOnce() {
        if (published) {
            return;
        }
        // one that was valid when it was added and has expired since
        String allowed = publishCertificate(CERTIFICATES.make("allowed", 2, null));
        String expired = publishCertificate(CERTIFICATES.make("expired", 1, "-3d"));
        publishApi("mtls", allowed, expired);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> tables.current().api("mtls") != null && certificates.size() >= 2);
        published = true;
    }

    private static HttpResponse<String> call(String client, URL base, String path)
            throws Exception {
        return TestCertificates.client(client == null ? null : CERTIFICATES.make(client, 2, null))
                .send(
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
        assertEquals(200, call("allowed", tls, "/mtls/x").statusCode());
        var none = call(null, tls, "/mtls/x");
        assertEquals(403, none.statusCode());
        assertEquals(error("Client TLS certificate is required"), none.body());
        var unknown = call("unknown", tls, "/mtls/x");
        assertEquals(403, unknown.statusCode());
        assertEquals(
                error(
                        "Certificate with SHA256 "
                                + CERTIFICATES.make("unknown", 2, null).fingerprint()
                                + " not allowed"),
                unknown.body());
        var expired =
                TestCertificates.client(CERTIFICATES.make("expired", 1, "-3d"))
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(tls.toString()).resolve("/mtls/x"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, expired.statusCode());
        assertEquals(error("Certificate has expired"), expired.body());
        var cleartext = call(null, plain, "/mtls/x");
        assertEquals(403, cleartext.statusCode());
        assertEquals(error("TLS not enabled"), cleartext.body());
    }

    @Test
    void aCertificateDeletedFromTheStoreIsRefusedFromThenOn() {
        String removed = publishCertificate(CERTIFICATES.make("removed", 2, null));
        publishApi("mtls-removed", removed);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> call("removed", tls, "/mtls-removed/x").statusCode() == 200);
        publish(Topics.CERTS.name(), EventTypes.CERT_DELETED, removed, null);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> call("removed", tls, "/mtls-removed/x").statusCode() == 403);
    }

    private static HttpResponse<String> callWithKey(
            String client, URL base, String path, String key) throws Exception {
        return TestCertificates.client(client == null ? null : CERTIFICATES.make(client, 2, null))
                .send(
                        HttpRequest.newBuilder(URI.create(base.toString()).resolve(path))
                                .header("Authorization", key)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static void publishKeyedApi(String id, boolean useCertificate) {
        publish(
                Topics.APIS.name(),
                EventTypes.API_UPSERTED,
                id,
                """
                {"api_id":"%s","name":"dynamic mTLS","org_id":"default","use_keyless":false,
                 "auth_configs":{"authToken":{"use_certificate":%s}},
                 "proxy":{"listen_path":"/%s/","target_url":"%s"}}"""
                        .formatted(id, useCertificate, id, EchoOwnersResource.url())
                        .replace("\n", ""));
    }

    /** A key bound to a certificate, named as keys-service names it. */
    private static String publishBoundKey(String certificateId, String... apis) {
        String key =
                gatehouse.contracts.keys.TykKeys.generate("default", certificateId, "murmur64");
        StringBuilder rights = new StringBuilder();
        for (String api : apis) {
            rights.append(rights.isEmpty() ? "" : ",")
                    .append(
                            "\"%s\":{\"api_id\":\"%s\",\"versions\":[\"Default\"]}"
                                    .formatted(api, api));
        }
        gatehouse.gateway.KeysOwnerStub.publish(
                key,
                "{\"org_id\":\"default\",\"certificate\":\"%s\",\"access_rights\":{%s}}"
                        .formatted(certificateId, rights));
        return key;
    }

    @Test
    void dynamicMutualTlsFindsTheKeyOfTheClientCertificateWithTyksTexts() throws Exception {
        String bound = publishCertificate(CERTIFICATES.make("dynamic-bound", 2, null));
        String gone = publishCertificate(CERTIFICATES.make("dynamic-gone", 2, null));
        publishKeyedApi("dyn", true);
        publishBoundKey(bound, "dyn");
        publishBoundKey(gone, "dyn");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> call("dynamic-bound", tls, "/dyn/x").statusCode() == 200);
        var none = call(null, tls, "/dyn/x");
        assertEquals(401, none.statusCode());
        assertEquals(error("Client certificate required"), none.body());
        var stranger = call("dynamic-stranger", tls, "/dyn/x");
        assertEquals(401, stranger.statusCode());
        assertEquals(error("Access to this API has been disallowed"), stranger.body());
        var expired =
                TestCertificates.client(CERTIFICATES.make("expired", 1, "-3d"))
                        .send(
                                HttpRequest.newBuilder(URI.create(tls.toString()).resolve("/dyn/x"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, expired.statusCode());
        assertEquals(error("Certificate has expired"), expired.body());
        // a key whose certificate left the store is refused
        assertEquals(200, call("dynamic-gone", tls, "/dyn/x").statusCode());
        publish(Topics.CERTS.name(), EventTypes.CERT_DELETED, gone, null);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> call("dynamic-gone", tls, "/dyn/x").statusCode() == 403);
        assertEquals(
                error("Access to this API has been disallowed"),
                call("dynamic-gone", tls, "/dyn/x").body());
    }

    @Test
    void aCertificateBoundKeySentAsATokenNeedsItsCertificate() throws Exception {
        String bound = publishCertificate(CERTIFICATES.make("token-bound", 2, null));
        publishKeyedApi("std", false);
        String key = publishBoundKey(bound, "std");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> callWithKey("token-bound", tls, "/std/x", key).statusCode() == 200);
        // its text is made from public data: without the certificate it proves nothing
        var cleartext = callWithKey(null, plain, "/std/x", key);
        assertEquals(403, cleartext.statusCode());
        assertEquals(error("Access to this API has been disallowed"), cleartext.body());
        assertEquals(403, callWithKey("token-other", tls, "/std/x", key).statusCode());
        assertEquals(403, callWithKey(null, tls, "/std/x", key).statusCode());
    }
}
