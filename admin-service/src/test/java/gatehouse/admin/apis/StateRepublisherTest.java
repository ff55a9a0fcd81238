package gatehouse.admin.apis;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.admin.messaging.StateRepublisher;
import gatehouse.contracts.events.Topics;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
        value = GatehouseTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "admin"))
class StateRepublisherTest {

    @Inject StateRepublisher republisher;

    @Test
    void everyLiveApiIsQueuedAgainWithItsCurrentVersionAndDeletedOnesAreNot() {
        // given one API at version 2 and one deleted
        String secret = GatehouseTestResource.ADMIN_SECRET;
        String api =
                "{\"api_id\":\"%s\",\"proxy\":{\"listen_path\":\"/%s/\",\"target_url\":\"http://u/\"}}";
        given().header("x-tyk-authorization", secret)
                .body(api.formatted("rp-kept", "rp-kept"))
                .post("/tyk/apis")
                .then()
                .statusCode(200);
        given().header("x-tyk-authorization", secret)
                .body(api.formatted("rp-kept", "rp-kept2"))
                .put("/tyk/apis/rp-kept")
                .then()
                .statusCode(200);
        given().header("x-tyk-authorization", secret)
                .body(api.formatted("rp-gone", "rp-gone"))
                .post("/tyk/apis")
                .then()
                .statusCode(200);
        given().header("x-tyk-authorization", secret)
                .delete("/tyk/apis/rp-gone")
                .then()
                .statusCode(200);
        long keptBefore = TopicRecords.withKey(Topics.APIS.name(), "rp-kept").size();
        long goneBefore = TopicRecords.withKey(Topics.APIS.name(), "rp-gone").size();

        // when the state is republished (as after a broker lost its topics)
        republisher.republish();

        // then the live API comes again with version 2, the deleted one does not
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<ConsumerRecord<String, String>> kept =
                TopicRecords.withKey(Topics.APIS.name(), "rp-kept");
        while (kept.size() == keptBefore && System.nanoTime() < deadline) {
            kept = TopicRecords.withKey(Topics.APIS.name(), "rp-kept");
        }
        assertEquals(keptBefore + 1, kept.size());
        var last = kept.get(kept.size() - 1);
        assertEquals("2", TopicRecords.header(last, "ce_aggregateversion"));
        assertTrue(last.value().contains("/rp-kept2/"));
        assertEquals(goneBefore, TopicRecords.withKey(Topics.APIS.name(), "rp-gone").size());
    }
}
