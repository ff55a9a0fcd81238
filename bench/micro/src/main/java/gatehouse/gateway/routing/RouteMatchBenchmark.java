package gatehouse.gateway.routing;

import gatehouse.contracts.tyk.ApiDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** A request path matched against the routing table, with few and with many APIs. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouteMatchBenchmark {

    @Param({"10", "10000"})
    int apis;

    private RoutingTable table;
    private String path;

    @Setup
    public void build() {
        List<ApiRoute> routes = new ArrayList<>();
        for (int i = 0; i < apis; i++) {
            routes.add(
                    ApiRoute.of(
                            ApiDefinition.routing(
                                    "api-" + i,
                                    true,
                                    null,
                                    new ApiDefinition.Proxy(
                                            "/service-" + i + "/", "http://127.0.0.1:9/", true)),
                            1));
        }
        table = RoutingTable.of(routes);
        path = "/service-" + (apis / 2) + "/orders/42";
        if (table.match(path) == null) {
            throw new IllegalStateException(path + " is not routed");
        }
    }

    @Benchmark
    public RoutingTable.Match match() {
        return table.match(path);
    }

    @Benchmark
    public RoutingTable.Match noMatch() {
        return table.match("/nowhere/orders/42");
    }
}
