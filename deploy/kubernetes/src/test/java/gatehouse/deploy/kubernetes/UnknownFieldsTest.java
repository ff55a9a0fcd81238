package gatehouse.deploy.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unknown fields on the core kinds (a misspelled readinesProbe, a removed field): the Kubernetes
 * schemas allow any property, so the objects are read into fabric8's models and every field the
 * model does not know (its additionalProperties) is reported. Strimzi resources are checked
 * strictly by their CRDs instead.
 */
class UnknownFieldsTest {

    private static final Map<String, Class<?>> MODELS =
            Map.of(
                    "v1/ConfigMap", ConfigMap.class,
                    "v1/Secret", Secret.class,
                    "v1/Service", Service.class,
                    "v1/ServiceAccount", ServiceAccount.class,
                    "apps/v1/Deployment", Deployment.class,
                    "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
                    "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
                    "networking.k8s.io/v1/Ingress", Ingress.class,
                    "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

    private static final ObjectMapper MAPPER =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    static List<String> overlays() {
        return Toolchain.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void noCoreObjectHasAFieldItsKindDoesNotHave(String overlay) {
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (Map<String, Object> object : Manifests.of(overlay).objects) {
            Class<?> model = MODELS.get(object.get("apiVersion") + "/" + object.get("kind"));
            if (model == null) {
                continue;
            }
            walk(
                    MAPPER.convertValue(object, model),
                    Manifests.id(object),
                    unknown,
                    new IdentityHashMap<>());
            checked++;
        }
        assertEquals(List.of(), unknown, overlay + ": unknown fields");
        System.out.println(
                "[k8s] " + overlay + ": " + checked + " core objects without unknown fields");
    }

    private static void walk(
            Object value,
            String path,
            List<String> unknown,
            IdentityHashMap<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Collection<?> collection) {
            int i = 0;
            for (Object element : collection) {
                walk(element, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, unknown, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method method : value.getClass().getMethods()) {
            if (method.getParameterCount() != 0
                    || Modifier.isStatic(method.getModifiers())
                    || !method.getName().startsWith("get")
                    || method.getDeclaringClass() == Object.class) {
                continue;
            }
            Object child;
            try {
                child = method.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (method.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
            } else {
                String field =
                        Character.toLowerCase(method.getName().charAt(3))
                                + method.getName().substring(4);
                walk(child, path + "." + field, unknown, seen);
            }
        }
    }
}
