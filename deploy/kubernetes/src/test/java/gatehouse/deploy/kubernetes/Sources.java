package gatehouse.deploy.kubernetes;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the code says, read from the sources of the other modules: topics, ports, paths,
 * configuration.
 */
final class Sources {

    /**
     * The Maven modules that are services, and the name of their Kubernetes Deployment and Service.
     */
    static final Map<String, String> SERVICES =
            Map.of(
                    "admin-service", "admin-service",
                    "keys-service", "keys-service",
                    "oauth-service", "oauth-service",
                    "dashboard-service", "dashboard-service",
                    "gateway-service", "gateway");

    private Sources() {}

    record Topic(String name, int partitions, boolean compacted, Map<String, String> config) {}

    /** contracts' Topics.java: every topic of the suite. */
    static List<Topic> topics() {
        String source =
                Toolchain.read(
                        Toolchain.ROOT.resolve(
                                "contracts/src/main/java/gatehouse/contracts/events/Topics.java"));
        Matcher topic =
                Pattern.compile(
                                "new Topic\\(\\s*\"([^\"]+)\",\\s*(\\d+),\\s*(true|false),\\s*Map\\.of\\(([^)]*)\\)\\s*\\)")
                        .matcher(source);
        List<Topic> topics = new java.util.ArrayList<>();
        while (topic.find()) {
            Map<String, String> config = new LinkedHashMap<>();
            Matcher pair = Pattern.compile("\"([^\"]+)\",\\s*\"([^\"]*)\"").matcher(topic.group(4));
            while (pair.find()) {
                config.put(pair.group(1), pair.group(2));
            }
            topics.add(
                    new Topic(
                            topic.group(1),
                            Integer.parseInt(topic.group(2)),
                            Boolean.parseBoolean(topic.group(3)),
                            config));
        }
        if (topics.size() < 5) {
            throw new AssertionError(
                    "could not read the topics from Topics.java (found " + topics + ")");
        }
        return topics;
    }

    /** A service module's application.properties (raw values, no expansion). */
    static Properties properties(String module) {
        Properties properties = new Properties();
        try {
            properties.load(
                    new StringReader(
                            Toolchain.read(
                                    Toolchain.ROOT
                                            .resolve(module)
                                            .resolve(
                                                    "src/main/resources/application.properties"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** Every topic a service's configuration names (channels' topic and the outbox's topics). */
    static Set<String> configuredTopics(String module) {
        Set<String> topics = new LinkedHashSet<>();
        properties(module)
                .forEach(
                        (key, value) -> {
                            String k = key.toString();
                            if (k.endsWith(".topic")) {
                                topics.add(value.toString().trim());
                            } else if (k.equals("gatehouse.outbox.topics")) {
                                for (String t : value.toString().split(",")) {
                                    topics.add(t.trim());
                                }
                            }
                        });
        return topics;
    }

    /** The Java sources of a module (and contracts, which every service includes). */
    static String javaSources(String... modules) {
        StringBuilder all = new StringBuilder();
        for (String module : modules) {
            Path dir = Toolchain.ROOT.resolve(module).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    all.append(Files.readString(file)).append('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all.toString();
    }

    /**
     * The configuration a service reads: its properties, the @ConfigProperty names of its code and
     * of contracts', and the variables its properties expand (${TYK_GW_SECRET:}), as environment
     * variable names.
     */
    static Set<String> knownVariables(String module) {
        Set<String> variables = new LinkedHashSet<>();
        Properties properties = properties(module);
        for (String key : properties.stringPropertyNames()) {
            variables.add(envName(key));
            Matcher expanded =
                    Pattern.compile("\\$\\{([A-Z0-9_]+)[:}]").matcher(properties.getProperty(key));
            while (expanded.find()) {
                variables.add(expanded.group(1));
            }
        }
        Matcher configProperty =
                Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"")
                        .matcher(javaSources(module, "contracts"));
        while (configProperty.find()) {
            variables.add(envName(configProperty.group(1)));
        }
        return variables;
    }

    /** MicroProfile Config's environment variable name for a property. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    /** The gateway's forwarding table: control path prefix to owner service (OwnerDirectory). */
    static Map<String, String> ownerPaths() {
        String source =
                Toolchain.read(
                        Toolchain.ROOT.resolve(
                                "gateway-service/src/main/java/gatehouse/gateway/control/OwnerDirectory.java"));
        Matcher owner =
                Pattern.compile(
                                "new OwnerService\\(\\s*\"([^\"]+)\",\\s*Upstream\\.of\\(\\w+\\)((?:,\\s*\"[^\"]+\")+)\\s*\\)")
                        .matcher(source);
        Map<String, String> paths = new LinkedHashMap<>();
        while (owner.find()) {
            Matcher path = Pattern.compile("\"([^\"]+)\"").matcher(owner.group(2));
            while (path.find()) {
                paths.put(path.group(1), owner.group(1));
            }
        }
        if (paths.isEmpty()) {
            throw new AssertionError("could not read the owner paths from OwnerDirectory.java");
        }
        return paths;
    }

    /**
     * The control paths the gateway serves itself (GatewayRoutes: "/tyk/reload", reloads::reload,
     * ...).
     */
    static Set<String> gatewayControlPaths() {
        String source =
                Toolchain.read(
                        Toolchain.ROOT.resolve(
                                "gateway-service/src/main/java/gatehouse/gateway/GatewayRoutes.java"));
        Matcher path = Pattern.compile("\"(/tyk/[^\"]+)\",\\s*[\\w.()]+::").matcher(source);
        Set<String> paths = new LinkedHashSet<>();
        while (path.find()) {
            paths.add(path.group(1));
        }
        path = Pattern.compile("\"(/tyk/[^\"]+)\",\\s*new \\w+\\(").matcher(source);
        while (path.find()) {
            paths.add(path.group(1));
        }
        if (paths.isEmpty()) {
            throw new AssertionError(
                    "could not read the gateway's control paths from GatewayRoutes.java");
        }
        return paths;
    }

    /** The plain paths the gateway's front door answers itself (FrontDoor: /hello, /ready). */
    static Set<String> gatewayFrontPaths() {
        String source =
                Toolchain.read(
                        Toolchain.ROOT.resolve(
                                "gateway-service/src/main/java/gatehouse/gateway/FrontDoor.java"));
        Matcher path = Pattern.compile("path\\.equals\\(\"(/[a-z]+)\"\\)").matcher(source);
        Set<String> paths = new LinkedHashSet<>();
        while (path.find()) {
            paths.add(path.group(1));
        }
        return paths;
    }

    /**
     * The path roots dashboard-service serves (the first segment of each resource class's @Path:
     * /api, /admin; and each folder of its static META-INF/resources: /analytics), which its
     * Ingress must route to it and nothing else.
     */
    static Set<String> dashboardPathRoots() {
        Matcher path =
                Pattern.compile("(?m)^@Path\\(\"(/[^/\"]+)[^\"]*\"\\)")
                        .matcher(javaSources("dashboard-service"));
        Set<String> roots = new java.util.TreeSet<>();
        while (path.find()) {
            roots.add(path.group(1));
        }
        Path statics =
                Toolchain.ROOT.resolve("dashboard-service/src/main/resources/META-INF/resources");
        if (Files.isDirectory(statics)) {
            try (Stream<Path> folders = Files.list(statics)) {
                folders.filter(Files::isDirectory)
                        .forEach(folder -> roots.add("/" + folder.getFileName()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (roots.isEmpty()) {
            throw new AssertionError("could not read the resource paths of dashboard-service");
        }
        return roots;
    }

    /** Whether a module has SmallRye Health (and so /q/health/live, /ready, /started). */
    static boolean hasQuarkusHealth(String module) {
        return Toolchain.read(Toolchain.ROOT.resolve(module).resolve("pom.xml"))
                .contains("quarkus-smallrye-health");
    }
}
