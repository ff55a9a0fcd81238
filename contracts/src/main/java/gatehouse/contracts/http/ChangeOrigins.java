package gatehouse.contracts.http;

import gatehouse.contracts.events.ChangeOrigin;
import gatehouse.contracts.net.IpRange;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Reads who made a control-API change from the request, the same way in every owner service.
 *
 * <p>The client's address is found by walking {@code X-Forwarded-For} from the right while the hop
 * is a trusted proxy ({@code gatehouse.audit.trusted-proxies}, CIDRs; loopback by default, where
 * the gateway runs beside the owners): the first untrusted hop is the client, and hops further left
 * are the client's own word. An identity header ({@code gatehouse.audit.identity-header}, off by
 * default) is believed only from a trusted peer, and only in addition to the admin secret.
 */
public final class ChangeOrigins {

    private static volatile Trust trust;

    private record Trust(List<IpRange> proxies, String identityHeader) {}

    private ChangeOrigins() {}

    /** The admin-secret holder (or the identity a trusted ingress vouched for) of the request. */
    public static ChangeOrigin adminSecret(HttpServerRequest request) {
        String peer =
                request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return of(
                peer,
                request.getHeader("X-Forwarded-For"),
                request.getHeader("X-Request-Id"),
                identity(request::getHeader, peer),
                "admin-secret");
    }

    /**
     * The origin of a request seen from its peer address and headers.
     *
     * @param identity the identity a trusted ingress named, or null
     * @param defaultActor the actor when no identity is given
     */
    public static ChangeOrigin of(
            String peer,
            String forwardedFor,
            String requestId,
            String identity,
            String defaultActor) {
        if (requestId == null || requestId.isBlank() || requestId.length() > 200) {
            requestId = UUID.randomUUID().toString();
        }
        String method = AdminGuard.HEADER;
        String actor = defaultActor;
        if (identity != null) {
            actor = identity;
            method = AdminGuard.HEADER + "+" + trust().identityHeader().toLowerCase();
        }
        return new ChangeOrigin(actor, clientAddress(peer, forwardedFor), requestId, method);
    }

    /** The identity header's value when the peer is a trusted proxy and the header is on. */
    public static String identity(java.util.function.Function<String, String> header, String peer) {
        String name = trust().identityHeader();
        if (name == null || peer == null || !trusted(peer)) {
            return null;
        }
        String value = header.apply(name);
        if (value == null || value.isBlank() || value.length() > 200) {
            return null;
        }
        return "user:" + value.strip();
    }

    /** The client's address through the trusted proxy chain. */
    public static String clientAddress(String peer, String forwardedFor) {
        if (peer == null) {
            return null;
        }
        String client = peer;
        if (forwardedFor != null && !forwardedFor.isBlank() && trusted(peer)) {
            String[] hops = forwardedFor.split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                String hop = hops[i].trim();
                if (hop.isEmpty()) {
                    break;
                }
                client = hop.length() > 100 ? hop.substring(0, 100) : hop;
                if (!trusted(hop)) {
                    break;
                }
            }
        }
        return client;
    }

    private static boolean trusted(String address) {
        byte[] literal = IpRange.literal(address);
        for (IpRange range : trust().proxies()) {
            if (range.contains(literal)) {
                return true;
            }
        }
        return false;
    }

    private static Trust trust() {
        Trust current = trust;
        if (current == null) {
            var config = ConfigProvider.getConfig();
            List<IpRange> proxies = new ArrayList<>();
            for (String cidr :
                    config.getOptionalValue("gatehouse.audit.trusted-proxies", String.class)
                            .orElse("127.0.0.0/8,::1/128")
                            .split(",")) {
                if (!cidr.isBlank()) {
                    proxies.add(IpRange.parse(cidr.trim()));
                }
            }
            Optional<String> header =
                    config.getOptionalValue("gatehouse.audit.identity-header", String.class)
                            .filter(name -> !name.isBlank());
            current = new Trust(List.copyOf(proxies), header.orElse(null));
            trust = current;
        }
        return current;
    }
}
