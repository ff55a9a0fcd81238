package gatehouse.dashboard.keys.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.contracts.tyk.TykJson;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyDocumentsTest {

    @Test
    void keyDataWrapsTheSessionAsTheDashboardDoes() {
        var data = KeyDocuments.keyData("k", "h", TykJson.readObject("{\"rate\":5}"));
        assertEquals(
                "{\"api_model\":{},\"key_id\":\"k\",\"key_hash\":\"h\",\"data\":{\"rate\":5}}",
                TykJson.encode(data).strip());
    }

    @Test
    void aKeyReachesTheApisItNamesOrEveryApiWhenItNamesNone() {
        var scoped = TykJson.readObject("{\"access_rights\":{\"a\":{},\"b\":{}}}");
        assertTrue(KeyDocuments.grants(scoped, "a"));
        assertFalse(KeyDocuments.grants(scoped, "c"));
        assertTrue(KeyDocuments.grants(TykJson.readObject("{\"access_rights\":{}}"), "c"));
        assertTrue(KeyDocuments.grants(TykJson.readObject("{}"), "c"));
        assertEquals(Set.of("a", "b"), KeyDocuments.apiIds(scoped));
    }

    @Test
    void policiesAreReadFromBothFieldsOnce() {
        var session =
                TykJson.readObject(
                        "{\"apply_policies\":[\"p1\",\"\",\"p2\"],\"apply_policy_id\":\"p1\"}");
        assertEquals(List.of("p1", "p2"), KeyDocuments.policyIds(session));
    }

    @Test
    void accessToAnApiOpensItsVersionsOnlyWhenVersioned() {
        var plain = TykJson.readObject("{\"api_id\":\"x\",\"name\":\"X\"}");
        assertEquals(
                "{\"api_id\":\"x\",\"api_name\":\"X\",\"versions\":[]}",
                TykJson.encode(KeyDocuments.accessTo(plain)).strip());
        var versioned =
                TykJson.readObject(
                        "{\"api_id\":\"y\",\"name\":\"Y\",\"version_data\":{\"not_versioned\":false,"
                                + "\"versions\":{\"v1\":{},\"v2\":{}}}}");
        assertEquals(
                List.of("v1", "v2"),
                List.of(
                        KeyDocuments.accessTo(versioned).path("versions").get(0).asText(),
                        KeyDocuments.accessTo(versioned).path("versions").get(1).asText()));
    }

    @Test
    void aLookupIsByHashByUserOrGuessedNeverTwoAtOnce() {
        assertEquals(
                new KeyLookup("v", true, false, false), KeyLookup.of("v", "1", "true", "true"));
        assertEquals(new KeyLookup("v", false, true, false), KeyLookup.of("v", "", "true", "true"));
        assertEquals(new KeyLookup("v", false, false, true), KeyLookup.of("v", null, null, "true"));
        assertEquals(new KeyLookup("v", false, false, false), KeyLookup.of("v", null, "1", "1"));
    }
}
