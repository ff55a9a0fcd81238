package gatehouse.gateway.proxy;

import static org.awaitility.Awaitility.await;

import gatehouse.gateway.EchoOwnersResource;
import gatehouse.gateway.state.RoutingTableHolder;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TykRows;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/** Every proxied error text, row by row, against APIs made for them (COMPAT §7.3). */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@QuarkusTestResource(EchoOwnersResource.class)
class ProxiedErrorRowsTest {

    private static boolean published;

    @Inject RoutingTableHolder tables;

    private static Map<String, String> apis() {
        String echo = EchoOwnersResource.url();
        String proxy = "\"proxy\":{\"listen_path\":\"/%s/\",\"target_url\":\"%s\"}";
        Map<String, String> apis = new java.util.HashMap<>();
        // Tyk's multi-API versioning: a base routing its versions to APIs of their own
        String child = "\"proxy\":{\"listen_path\":\"/%s/\",\"target_url\":\"%s/child-upstream/\"}";
        apis.put(
                "pe-child",
                """
                {"api_id":"pe-child","use_keyless":true,%s}"""
                        .formatted(child.formatted("pe-child", echo)));
        apis.put(
                "pe-base",
                """
                {"api_id":"pe-base","use_keyless":true,%s,"definition":{"enabled":true,"name":"v1",
                  "default":"self","location":"header","key":"x-api-version",
                  "versions":{"v2":"pe-child","gone":"pe-missing"}}}"""
                        .formatted(proxy.formatted("pe-base", echo)));
        apis.put(
                "pe-fallback",
                """
                {"api_id":"pe-fallback","use_keyless":true,%s,"definition":{"enabled":true,"name":"v1",
                  "default":"v2","fallback_to_default":true,"location":"url-param","key":"v",
                  "versions":{"v2":"pe-child"}}}"""
                        .formatted(proxy.formatted("pe-fallback", echo)));
        apis.put(
                "pe-urlbase",
                """
                {"api_id":"pe-urlbase","use_keyless":true,%s,"definition":{"enabled":true,"name":"v1",
                  "default":"","location":"url","strip_versioning_data":true,
                  "versions":{"v2":"pe-child"}}}"""
                        .formatted(proxy.formatted("pe-urlbase", echo)));
        apis.putAll(pingOthers(echo, proxy));
        return apis;
    }

    private static Map<String, String> pingOthers(String echo, String proxy) {
        return Map.of(
                "pe-ver",
                        """
                        {"api_id":"pe-ver","use_keyless":true,%s,"version_data":{"not_versioned":false,"versions":{
                          "v1":{"name":"v1"},"v2":{"name":"v2","expires":"2001-01-01 00:00"}}}}"""
                                .formatted(proxy.formatted("pe-ver", echo)),
                "pe-ambiguous",
                        """
                        {"api_id":"pe-ambiguous","use_keyless":true,%s,"version_data":{"not_versioned":true,"versions":{
                          "a":{"name":"a"},"b":{"name":"b"}}}}"""
                                .formatted(proxy.formatted("pe-ambiguous", echo)),
                "pe-nodefault",
                        """
                        {"api_id":"pe-nodefault","use_keyless":true,%s,"version_data":{"not_versioned":true,
                          "default_version":"z","versions":{"a":{"name":"a"}}}}"""
                                .formatted(proxy.formatted("pe-nodefault", echo)),
                "pe-rules",
                        """
                        {"api_id":"pe-rules","use_keyless":true,%s,"version_data":{"not_versioned":true,"versions":{
                          "Default":{"name":"Default","paths":{"black_list":["/blocked"],"white_list":["/allowed","/blocked"]}}}}}"""
                                .formatted(proxy.formatted("pe-rules", echo)),
                "pe-ip",
                        """
                        {"api_id":"pe-ip","use_keyless":true,"enable_ip_whitelisting":true,"allowed_ips":["10.0.0.0/8"],%s}"""
                                .formatted(proxy.formatted("pe-ip", echo)),
                "pe-limit",
                        """
                        {"api_id":"pe-limit","use_keyless":true,"global_rate_limit":{"rate":1,"per":600},%s}"""
                                .formatted(proxy.formatted("pe-limit", echo)),
                "pe-keyed",
                        """
                        {"api_id":"pe-keyed","use_keyless":false,%s}"""
                                .formatted(proxy.formatted("pe-keyed", echo)),
                "pe-down",
                        """
                        {"api_id":"pe-down","use_keyless":true,%s}"""
                                .formatted(proxy.formatted("pe-down", "http://127.0.0.1:9")),
                "pe-nohost",
                        """
                        {"api_id":"pe-nohost","use_keyless":true,%s}"""
                                .formatted(
                                        proxy.formatted(
                                                "pe-nohost", "http://no-such-host.invalid")));
    }

    @BeforeEach
    void publishTheApisOnce() throws Exception {
        if (published) {
            return;
        }
        gatehouse.gateway.TestApis.publish(apis());
        List<String> ids = List.copyOf(apis().keySet());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ids.stream().allMatch(id -> tables.current().api(id) != null));
        published = true;
    }

    @ParameterizedTest(name = "{0} {1} [{2}] -> {3}")
    @CsvFileSource(
            resources = "/compat/proxied-errors.csv",
            delimiter = '|',
            quoteCharacter = '`',
            numLinesToSkip = 1,
            nullValues = {})
    void row(String method, String path, String headers, int status, String expected) {
        TykRows.check(method, path, "no", headers, null, status, expected);
    }
}
