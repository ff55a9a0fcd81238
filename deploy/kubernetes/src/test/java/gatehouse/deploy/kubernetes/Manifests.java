package gatehouse.deploy.kubernetes;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The objects of one rendered overlay, as plain maps, with the look-ups the checks need. */
final class Manifests {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    final String overlay;
    final List<Map<String, Object>> objects;

    private Manifests(String overlay, List<Map<String, Object>> objects) {
        this.overlay = overlay;
        this.objects = objects;
    }

    static Manifests of(String overlay) {
        return parse(overlay, Toolchain.render(overlay));
    }

    @SuppressWarnings("unchecked")
    static Manifests parse(String overlay, String yaml) {
        List<Map<String, Object>> objects = new ArrayList<>();
        try (MappingIterator<Object> docs = YAML.readerFor(Object.class).readValues(yaml)) {
            while (docs.hasNext()) {
                Object doc = docs.next();
                if (doc instanceof Map<?, ?> map && !map.isEmpty()) {
                    objects.add((Map<String, Object>) map);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Manifests(overlay, objects);
    }

    List<Map<String, Object>> all(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    Optional<Map<String, Object>> find(String kind, String name) {
        return all(kind).stream().filter(o -> name.equals(name(o))).findFirst();
    }

    Map<String, Object> get(String kind, String name) {
        return find(kind, name)
                .orElseThrow(() -> new AssertionError(overlay + ": no " + kind + " " + name));
    }

    static String name(Map<String, Object> object) {
        return str(object, "metadata", "name");
    }

    static String id(Map<String, Object> object) {
        return object.get("kind") + "/" + name(object);
    }

    // navigation in the parsed YAML

    static Object at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(key);
            } else if (current instanceof List<?> list && key.matches("\\d+")) {
                int index = Integer.parseInt(key);
                current = index < list.size() ? list.get(index) : null;
            } else {
                return null;
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String... path) {
        Object value = at(node, path);
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object node, String... path) {
        Object value = at(node, path);
        return value instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    @SuppressWarnings("unchecked")
    static List<String> strings(Object node, String... path) {
        Object value = at(node, path);
        return value instanceof List<?> l
                ? ((List<Object>) l).stream().map(String::valueOf).toList()
                : List.of();
    }

    static String str(Object node, String... path) {
        Object value = at(node, path);
        return value == null ? null : String.valueOf(value);
    }

    static int integer(Object node, String... path) {
        Object value = at(node, path);
        if (value == null) {
            throw new AssertionError("missing " + String.join(".", path));
        }
        return Integer.parseInt(String.valueOf(value));
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> labels(Object node, String... path) {
        Map<String, String> labels = new LinkedHashMap<>();
        map(node, path).forEach((k, v) -> labels.put(k, String.valueOf(v)));
        return labels;
    }

    /** Whether a label selector (matchLabels and matchExpressions) selects these labels. */
    static boolean selects(Map<String, Object> selector, Map<String, String> labels) {
        for (Map.Entry<String, Object> required : map(selector, "matchLabels").entrySet()) {
            if (!Objects.equals(
                    labels.get(required.getKey()), String.valueOf(required.getValue()))) {
                return false;
            }
        }
        for (Map<String, Object> expression : list(selector, "matchExpressions")) {
            String key = str(expression, "key");
            List<String> values = strings(expression, "values");
            boolean ok =
                    switch (str(expression, "operator")) {
                        case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
                        case "NotIn" ->
                                !labels.containsKey(key) || !values.contains(labels.get(key));
                        case "Exists" -> labels.containsKey(key);
                        case "DoesNotExist" -> !labels.containsKey(key);
                        default ->
                                throw new AssertionError(
                                        "unknown selector operator in " + expression);
                    };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A simple selector (Service, PDB): every pair must be among the labels. */
    static boolean selectsPairs(Map<String, Object> pairs, Map<String, String> labels) {
        return pairs.entrySet().stream()
                .allMatch(
                        e -> Objects.equals(labels.get(e.getKey()), String.valueOf(e.getValue())));
    }

    // the suite's workloads

    List<Map<String, Object>> deployments() {
        return all("Deployment");
    }

    static Map<String, String> podLabels(Map<String, Object> deployment) {
        return labels(deployment, "spec", "template", "metadata", "labels");
    }

    static List<Map<String, Object>> containers(Map<String, Object> deployment) {
        return list(deployment, "spec", "template", "spec", "containers");
    }

    static Map<String, Object> container(Map<String, Object> deployment) {
        List<Map<String, Object>> containers = containers(deployment);
        if (containers.size() != 1) {
            throw new AssertionError(id(deployment) + " should have exactly one container");
        }
        return containers.get(0);
    }

    /** A container's ports, by name. */
    static Map<String, Integer> ports(Map<String, Object> container) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Map<String, Object> port : list(container, "ports")) {
            ports.put(str(port, "name"), integer(port, "containerPort"));
        }
        return ports;
    }

    /**
     * A port reference (name or number) resolved against a container's ports, or -1 when it names
     * none.
     */
    static int resolve(Object port, Map<String, Integer> ports) {
        String text = String.valueOf(port);
        if (text.matches("\\d+")) {
            int number = Integer.parseInt(text);
            return ports.containsValue(number) ? number : -1;
        }
        return ports.getOrDefault(text, -1);
    }

    /** The env entries of a container, by name (value or valueFrom). */
    static Map<String, Map<String, Object>> env(Map<String, Object> container) {
        Map<String, Map<String, Object>> env = new LinkedHashMap<>();
        for (Map<String, Object> variable : list(container, "env")) {
            env.put(str(variable, "name"), variable);
        }
        return env;
    }

    /**
     * A container's effective plain settings: the ConfigMaps it loads with envFrom, then its own
     * values.
     */
    Map<String, String> settings(Map<String, Object> container) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map<String, Object> from : list(container, "envFrom")) {
            String configMap = str(from, "configMapRef", "name");
            if (configMap != null) {
                map(get("ConfigMap", configMap), "data")
                        .forEach((k, v) -> settings.put(k, String.valueOf(v)));
            }
        }
        env(container)
                .forEach(
                        (name, variable) -> {
                            if (variable.containsKey("value")) {
                                settings.put(name, String.valueOf(variable.get("value")));
                            }
                        });
        return settings;
    }

    /** The Deployment whose container runs the image of this Maven module (gatehouse/<module>). */
    Map<String, Object> deploymentOfImage(String module) {
        return deployments().stream()
                .filter(d -> imageRepository(str(container(d), "image")).endsWith("/" + module))
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        overlay + ": no Deployment runs the image of " + module));
    }

    static String imageRepository(String image) {
        String withoutDigest = image.split("@")[0];
        int slash = withoutDigest.lastIndexOf('/');
        int colon = withoutDigest.lastIndexOf(':');
        return colon > slash ? withoutDigest.substring(0, colon) : withoutDigest;
    }
}
