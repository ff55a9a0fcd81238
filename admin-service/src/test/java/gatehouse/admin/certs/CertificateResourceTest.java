package gatehouse.admin.certs;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.contracts.events.Topics;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TestCertificates;
import gatehouse.testsupport.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Tyk's {@code /tyk/certs}: ids, Tyk's answers and texts, and a private key that is never stored,
 * published or shown in the clear. Certificates are made by the JDK's keytool.
 */
@QuarkusTest
@QuarkusTestResource(
        value = GatehouseTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "admin"))
class CertificateResourceTest {

    private static final TestCertificates CERTIFICATES = new TestCertificates();

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    private static TestCertificates.Made make(String name, int validityDays, String startDate) {
        return CERTIFICATES.make(name, validityDays, startDate);
    }

    private static RequestSpecification admin() {
        return given().header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET);
    }

    @Test
    void aCertificateIsAddedUnderTyksIdShownListedAndDeleted() throws Exception {
        TestCertificates.Made made = make("listed", 30, null);
        String id = "org-a" + made.fingerprint();
        admin().body(made.certificatePem())
                .post("/tyk/certs?org_id=org-a")
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("status", equalTo("ok"))
                .body("message", equalTo("Certificate added"));
        admin().body(made.certificatePem())
                .post("/tyk/certs?org_id=org-a")
                .then()
                .statusCode(403)
                .body("message", equalTo("Certificate with " + id + " id already exists"));
        admin().get("/tyk/certs/" + id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("fingerprint", equalTo(made.fingerprint()))
                .body("has_private", equalTo(false))
                .body("subject.CommonName", equalTo("listed"))
                .body("subject.Organization", equalTo(List.of("Gatehouse Tests")))
                .body("dns_names", equalTo(List.of("localhost", "listed.example.com")))
                .body("is_ca", equalTo(false));
        admin().get("/tyk/certs?org_id=org-a").then().statusCode(200).body("certs", hasItem(id));
        admin().get("/tyk/certs?org_id=org-b")
                .then()
                .statusCode(200)
                .body("certs", not(hasItem(id)));
        admin().get("/tyk/certs?org_id=org-a&mode=detailed")
                .then()
                .statusCode(200)
                .body("certs.find { it.id == '" + id + "' }.subject_cn", equalTo("listed"));
        admin().delete("/tyk/certs/" + id)
                .then()
                .statusCode(200)
                .body("status", equalTo("ok"))
                .body("message", equalTo("removed"));
        admin().get("/tyk/certs/" + id)
                .then()
                .statusCode(404)
                .body("status", equalTo("error"))
                .body("message", equalTo("Certificate with given SHA256 fingerprint not found"));
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                TopicRecords.withKey(Topics.CERTS.name(), id).stream()
                                        .anyMatch(record -> record.value() == null));
    }

    @Test
    void bodiesTykRefusesAreRefusedWithItsTexts() throws Exception {
        admin().body("not a certificate")
                .post("/tyk/certs")
                .then()
                .statusCode(403)
                .body("status", equalTo("error"))
                .body(
                        "message",
                        equalTo("Failed to decode certificate. It should be PEM encoded."));
        TestCertificates.Made expired = make("expired", 1, "-3d");
        admin().body(expired.certificatePem())
                .post("/tyk/certs")
                .then()
                .statusCode(403)
                .body("status", equalTo("error"))
                .body("message", equalTo("certificate is expired"));
        TestCertificates.Made one = make("one", 30, null);
        TestCertificates.Made other = make("other", 30, null);
        admin().body(one.certificatePem() + other.privateKeyPem())
                .post("/tyk/certs")
                .then()
                .statusCode(403)
                .body("status", equalTo("error"))
                .body("message", equalTo("tls: private key does not match public key"));
        admin().body(one.certificatePem() + one.privateKeyPem() + other.privateKeyPem())
                .post("/tyk/certs")
                .then()
                .statusCode(403)
                .body("status", equalTo("error"))
                .body("message", equalTo("Found multiple private keys"));
        admin().get("/tyk/certs/none-such").then().statusCode(404);
        given().get("/tyk/certs").then().statusCode(403);
    }

    @Test
    void aPrivateKeyIsNeverStoredPublishedOrShownInTheClear() throws Exception {
        TestCertificates.Made made = make("private", 30, null);
        String id =
                admin().body(made.certificatePem() + made.privateKeyPem())
                        .post("/tyk/certs")
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("id");
        assertEquals(made.fingerprint(), id, "no org: the fingerprint alone");
        String shown =
                admin().get("/tyk/certs/" + id)
                        .then()
                        .statusCode(200)
                        .body("has_private", equalTo(true))
                        .extract()
                        .asString();
        String keyBody =
                made.privateKeyPem()
                        .replace("-----BEGIN PRIVATE KEY-----", "")
                        .replace("-----END PRIVATE KEY-----", "")
                        .replace("\n", "");
        String probe = keyBody.substring(40, 100);
        assertFalse(shown.contains(probe), shown);
        StringBuilder stored = new StringBuilder();
        try (var connection = DriverManager.getConnection(jdbcUrl, user, password.orElse(""));
                var rows =
                        connection
                                .createStatement()
                                .executeQuery(
                                        "select c::text from certificate c union all select o::text from outbox_event o")) {
            while (rows.next()) {
                stored.append(rows.getString(1)).append('\n');
            }
        }
        assertTrue(stored.toString().contains(id));
        assertFalse(
                stored.toString().replace("\\n", "").contains(probe),
                "a private key in the database");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !TopicRecords.withKey(Topics.CERTS.name(), id).isEmpty());
        for (var record : TopicRecords.withKey(Topics.CERTS.name(), id)) {
            assertFalse(
                    record.value().replace("\\n", "").contains(probe),
                    "a private key on gatehouse.certs");
            assertTrue(record.value().contains("sealed:v1:"));
        }
    }
}
