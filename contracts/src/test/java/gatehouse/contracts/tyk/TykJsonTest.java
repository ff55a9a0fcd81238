package gatehouse.contracts.tyk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TykJsonTest {

    @Test
    void errorEnvelopeIsWrittenAsGoWritesIt() {
        assertEquals(
                "{\"status\":\"error\",\"message\":\"Attempted administrative access with invalid or missing key!\"}\n",
                TykJson.encode(StatusMessage.error(TykMessages.ADMIN_ACCESS_DENIED)));
    }

    @Test
    void htmlCharactersAreEscapedLikeGo() {
        assertEquals(
                "{\"status\":\"ok\",\"message\":\"\\u003cb\\u003e \\u0026 \\u2028\"}\n",
                TykJson.encode(StatusMessage.ok("<b> & \u2028")));
    }

    @Test
    void modifyResultOmitsAnEmptyKeyHashAndKeepsFieldOrder() {
        assertEquals(
                "{\"key\":\"abc\",\"status\":\"ok\",\"action\":\"added\"}\n",
                TykJson.encode(ModifyResult.added("abc")));
        assertEquals(
                "{\"key\":\"k\",\"status\":\"ok\",\"action\":\"added\",\"key_hash\":\"h\"}\n",
                TykJson.encode(new ModifyResult("k", "ok", "added", "h")));
    }

    @Test
    void mapKeysAreSorted() {
        var unordered = new java.util.LinkedHashMap<String, Integer>();
        unordered.put("b", 2);
        unordered.put("a", 1);
        assertEquals("{\"a\":1,\"b\":2}\n", TykJson.encode(unordered));
    }

    @Test
    void routingViewIsReadFromAFullDocument() {
        var api =
                ApiDefinition.parse(
                        """
                {"api_id":"a1","name":"n","use_keyless":true,"custom":{"x":1},
                 "proxy":{"listen_path":"/p/","target_url":"http://u:1/","strip_listen_path":true,"other":2}}""");
        assertEquals("a1", api.apiId());
        assertEquals("/p/", api.proxy().listenPath());
        assertEquals(true, api.proxy().stripListenPath());
        assertEquals(true, api.useKeyless());
    }
}
