package gatehouse.gateway.state;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This gateway node's id on the topics: the configured one (the pod name on Kubernetes) or a random
 * one.
 */
@ApplicationScoped
public class NodeIdentity {

    private final String id;

    NodeIdentity(@ConfigProperty(name = "gatehouse.node-id") Optional<String> configured) {
        this.id =
                configured
                        .filter(s -> !s.isBlank())
                        .orElseGet(() -> "node-" + UUID.randomUUID().toString().substring(0, 8));
    }

    public String id() {
        return id;
    }
}
