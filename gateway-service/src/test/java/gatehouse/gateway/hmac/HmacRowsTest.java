package gatehouse.gateway.hmac;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;

import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.gateway.EchoOwnersResource;
import gatehouse.gateway.KeysOwnerStub;
import gatehouse.gateway.keys.KeyRegistry;
import gatehouse.gateway.state.RoutingTableHolder;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TestCertificates;
import gatehouse.testsupport.TopicRecords;
import gatehouse.testsupport.TykRows;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * HMAC-signed requests through the full HTTP stack (issue 15), row by row: the signatures are made
 * here with the JDK's {@code Mac}, never with the gateway's code.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@QuarkusTestResource(EchoOwnersResource.class)
class HmacRowsTest {

    private static final String SECRET = "the-hmac-string-of-hmac-key-0001";
    private static final String LEGACY_SECRET = "an-unsealed-hmac-string-of-old";
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH)
                    .withZone(ZoneOffset.UTC);
    private static boolean published;

    @Inject RoutingTableHolder tables;
    @Inject KeyRegistry keys;
    @Inject gatehouse.gateway.certs.CertificateRegistry certificates;

    private static final TestCertificates CERTIFICATES = new TestCertificates();
    private static final TestCertificates.Made SIGNER = CERTIFICATES.make("signer", 2, null);
    private static final TestCertificates.Made OTHER_SIGNER = CERTIFICATES.make("other", 2, null);

    private static void publishApi(String id, String extra) {
        TopicRecords.publish(
                Topics.APIS.name(),
                new EventEnvelope(
                        UUID.randomUUID().toString(),
                        "/test",
                        EventTypes.API_UPSERTED,
                        id,
                        Instant.now(),
                        "test",
                        null,
                        System.currentTimeMillis(),
                        """
                        {"api_id":"%s","name":"API %s","org_id":"default","use_keyless":false,
                         "enable_signature_checking":true,%s
                         "proxy":{"listen_path":"/%s/","target_url":"%s"}}"""
                                .formatted(id, id, extra, id, EchoOwnersResource.url())
                                .replace("\n", "")));
    }

    private static String rights() {
        return "\"access_rights\":{\"h-any\":{\"api_id\":\"h-any\",\"versions\":[\"Default\"]},"
                + "\"h-skew\":{\"api_id\":\"h-skew\",\"versions\":[\"Default\"]}}";
    }

    @BeforeEach
    void publishOnce() {
        if (published) {
            return;
        }
        publishApi("h-any", "");
        publishApi(
                "h-skew",
                "\"hmac_allowed_clock_skew\":5000,\"hmac_allowed_algorithms\":[\"hmac-sha256\"],");
        var sealing = KeysOwnerStub.DIGEST.sessionSecrets();
        // as keys-service publishes it: the hmac_string sealed
        KeysOwnerStub.publish(
                "hmac-key-0001",
                "{\"org_id\":\"default\",\"hmac_enabled\":true,\"hmac_string\":\"%s\",%s}"
                        .formatted(sealing.seal(SECRET), rights()));
        KeysOwnerStub.publish(
                "hmac-legacy-01",
                "{\"org_id\":\"default\",\"hmac_enabled\":true,\"hmac_string\":\"%s\",%s}"
                        .formatted(LEGACY_SECRET, rights()));
        KeysOwnerStub.publish(
                "hmac-off-0001",
                "{\"org_id\":\"default\",\"hmac_enabled\":false,\"hmac_string\":\"%s\",%s}"
                        .formatted(sealing.seal(SECRET), rights()));
        KeysOwnerStub.publish(
                "hmac-rsa-0001",
                "{\"org_id\":\"default\",\"enable_http_signature_validation\":true,\"rsa_certificate_id\":\"cert-1\",%s}"
                        .formatted(rights()));
        // an RSA-signing key: its certificate in the store, as /tyk/certs puts it there
        String certificate = "default" + SIGNER.fingerprint();
        TopicRecords.publish(
                Topics.CERTS.name(),
                new EventEnvelope(
                        UUID.randomUUID().toString(),
                        "/test",
                        EventTypes.CERT_UPSERTED,
                        certificate,
                        Instant.now(),
                        "test",
                        null,
                        System.currentTimeMillis(),
                        gatehouse.contracts.tyk.TykJson.MAPPER
                                .createObjectNode()
                                .put("id", certificate)
                                .put("chain", SIGNER.certificatePem())
                                .toString()));
        KeysOwnerStub.publish(
                "hmac-rsa-0002",
                "{\"org_id\":\"default\",\"enable_http_signature_validation\":true,\"rsa_certificate_id\":\"%s\",%s}"
                        .formatted(certificate, rights()));
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                tables.current().api("h-any") != null
                                        && tables.current().api("h-skew") != null
                                        && keys.size() >= 5
                                        && certificates.size() >= 1);
        published = true;
    }

    private static String sign(String algorithm, String key, String text) throws Exception {
        if (algorithm.startsWith("rsa")) {
            var signer = java.security.Signature.getInstance("SHA256withRSA");
            signer.initSign(
                    TestCertificates.privateKey(key.equals("a-wrong-key") ? OTHER_SIGNER : SIGNER));
            signer.update(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signer.sign());
        }
        String jca =
                switch (algorithm) {
                    case "hmac-sha256" -> "HmacSHA256";
                    case "hmac-sha512" -> "HmacSHA512";
                    default -> "HmacSHA1";
                };
        Mac mac = Mac.getInstance(jca);
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), jca));
        return URLEncoder.encode(
                Base64.getEncoder()
                        .encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8))),
                StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0} {1} {2} [{3}] {4} {5} -> {6}")
    @CsvFileSource(
            resources = "/compat/hmac.csv",
            delimiter = '|',
            quoteCharacter = '`',
            numLinesToSkip = 1,
            nullValues = {})
    void row(
            String api,
            String key,
            String algorithm,
            String signed,
            String date,
            String variant,
            int status,
            String expected)
            throws Exception {
        String path = "/" + api + "/resource";
        String dateValue =
                switch (date) {
                    case "now", "aux" -> HTTP_DATE.format(Instant.now());
                    case "hour-ago" -> HTTP_DATE.format(Instant.now().minusSeconds(3600));
                    case "garbled" -> "yesterday at noon";
                    default -> null;
                };
        String dateHeader = date.equals("aux") ? "x-aux-date" : "date";
        String names = signed == null || signed.isEmpty() ? "date" : signed;
        StringBuilder text = new StringBuilder();
        for (String name : names.split(" ")) {
            if (text.length() > 0) {
                text.append('\n');
            }
            switch (name) {
                case "(request-target)" ->
                        text.append("(request-target): get ")
                                .append(variant.equals("other-path") ? "/elsewhere" : path);
                case "date" ->
                        text.append(dateValue == null ? "" : dateHeader)
                                .append(": ")
                                .append(dateValue == null ? "" : dateValue);
                case "x-custom" -> text.append("x-custom: custom value");
                default -> throw new IllegalArgumentException(name);
            }
        }
        String signature =
                sign(
                        algorithm,
                        switch (variant) {
                            case "wrong" -> "a-wrong-key";
                            case "legacy" -> LEGACY_SECRET;
                            default -> SECRET;
                        },
                        text.toString());
        if (variant.equals("lowercase-escapes")) {
            // a signature with escapes in lower case, as .NET writes them
            while (!signature.contains("%")) {
                dateValue = HTTP_DATE.format(Instant.now());
                signature = sign(algorithm, SECRET, "date: " + dateValue);
            }
            signature =
                    java.util.regex.Pattern.compile("%[0-9A-F]{2}")
                            .matcher(signature)
                            .replaceAll(m -> m.group().toLowerCase(Locale.ROOT));
        }
        String authorization =
                "Signature keyId=\"%s\",algorithm=\"%s\",headers=\"%s\",signature=\"%s\""
                        .formatted(key, algorithm, names, signature);
        if (variant.equals("unknown-field")) {
            authorization += ",extra=\"x\"";
        }
        StringBuilder headers = new StringBuilder();
        if (!variant.equals("absent")) {
            headers.append("Authorization: ").append(authorization);
        }
        if (dateValue != null) {
            headers.append("; ").append(dateHeader).append(": ").append(dateValue);
        }
        headers.append("; x-custom: custom value");
        String list = headers.toString().replaceFirst("^; ", "");
        assertFalse(list.contains(SECRET), "the secret is never sent");
        TykRows.check("GET", path, "no", list, null, status, expected);
    }

    @Test
    void theSignatureHeaderIsReadAsTykReadsIt() {
        var fields =
                HmacSignature.parse(
                        "Signature keyId=\"k\",algorithm=\"hmac-sha256\",headers=\"(request-target) date\",signature=\"abc%2B\"");
        org.junit.jupiter.api.Assertions.assertEquals("k", fields.keyId());
        org.junit.jupiter.api.Assertions.assertEquals(
                java.util.List.of("(request-target)", "date"), fields.headers());
        org.junit.jupiter.api.Assertions.assertEquals(
                java.util.List.of("date"),
                HmacSignature.parse("keyId=\"k\",signature=\"s\"").headers());
        org.junit.jupiter.api.Assertions.assertNull(HmacSignature.parse("keyId=\"k\",bogus=\"x\""));
        org.junit.jupiter.api.Assertions.assertNull(HmacSignature.parse("keyId"));
    }
}
