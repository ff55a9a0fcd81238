package gatehouse.testsupport.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The house rules (docs/CONTRIBUTING.md) as ArchUnit rules over the main classes of every module of
 * the build. Services are found by their folders ({@code *-service}), so a new service is held to
 * the rules with no extra work. Each rule says why it exists; a failure names the class and the
 * line.
 */
public final class HouseRules {

    private HouseRules() {}

    /**
     * The compiled main classes of every module under the project root, and the services among
     * them.
     */
    public record Build(JavaClasses classes, Set<String> servicePackages) {}

    /**
     * Imports each module's {@code target/classes} (and one level deeper, for {@code
     * deploy/<name>}) under the root.
     */
    public static Build importBuild(Path root) throws IOException {
        List<Path> dirs = new ArrayList<>();
        Set<String> services = new TreeSet<>();
        try (Stream<Path> modules =
                Stream.concat(
                        Files.list(root),
                        Files.isDirectory(root.resolve("deploy"))
                                ? Files.list(root.resolve("deploy"))
                                : Stream.empty())) {
            for (Path module : modules.filter(Files::isDirectory).toList()) {
                Path classes = module.resolve("target/classes");
                if (!Files.isDirectory(classes.resolve("gatehouse"))) {
                    continue;
                }
                dirs.add(classes);
                if (module.getFileName().toString().endsWith("-service")) {
                    try (Stream<Path> packages = Files.list(classes.resolve("gatehouse"))) {
                        packages.filter(Files::isDirectory)
                                .forEach(p -> services.add("gatehouse." + p.getFileName()));
                    }
                }
            }
        }
        JavaClasses classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPaths(dirs);
        return new Build(classes, services);
    }

    /** Every rule, for the given build. */
    public static List<ArchRule> all(Build build) {
        List<ArchRule> rules = new ArrayList<>();
        for (String service : build.servicePackages()) {
            for (String other : build.servicePackages()) {
                if (!other.equals(service)) {
                    rules.add(
                            noClasses()
                                    .that()
                                    .resideInAPackage(service + "..")
                                    .should()
                                    .dependOnClassesThat()
                                    .resideInAPackage(other + "..")
                                    .because(
                                            "services meet only through contracts, events and HTTP (DESIGN.md §1): "
                                                    + service
                                                    + " must not use "
                                                    + other));
                }
            }
        }
        rules.add(
                noClasses()
                        .that()
                        .resideInAPackage("gatehouse.contracts..")
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(
                                withDots(
                                        build.servicePackages(),
                                        "gatehouse.local..",
                                        "gatehouse.testsupport.."))
                        .because("contracts is what services share; it cannot know any of them"));
        rules.add(
                noClasses()
                        .that()
                        .resideInAPackage("..domain..")
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(
                                "jakarta.ws.rs..",
                                "io.smallrye.reactive.messaging..",
                                "org.apache.kafka..",
                                "org.hibernate..",
                                "io.vertx..")
                        .because(
                                "domain code holds the rules alone, testable without HTTP, Kafka or a database"));
        rules.add(
                classes()
                        .should(compareSecretsOnlyInConstantTime())
                        .because(
                                "secrets, keys, passwords and credentials are compared only in constant time "
                                        + "(MessageDigest.isEqual, through AdminSecret or the digest classes), never with equals"));
        rules.add(
                noClasses()
                        .that()
                        .doNotHaveSimpleName("Launcher")
                        .should()
                        .accessField(System.class, "out")
                        .orShould()
                        .accessField(System.class, "err")
                        .because(
                                "services log through a LOGGER (levels, categories, no secrets); only the launcher "
                                        + "talks to a terminal"));
        rules.add(
                noClasses()
                        .should()
                        .callMethodWhere(
                                com.tngtech.archunit.base.DescribedPredicate.describe(
                                        "Throwable.printStackTrace()",
                                        call ->
                                                call.getName().equals("printStackTrace")
                                                        && call.getTargetOwner()
                                                                .isAssignableTo(Throwable.class)))
                        .because(
                                "a failure is logged once with its context by a LOGGER, or answered; never dumped to stderr"));
        rules.add(
                fields().that()
                        .areDeclaredInClassesThat()
                        .areAnnotatedWith("jakarta.enterprise.context.ApplicationScoped")
                        .should()
                        .notBeAnnotatedWith("jakarta.inject.Inject")
                        .andShould()
                        .notBeAnnotatedWith("org.eclipse.microprofile.config.inject.ConfigProperty")
                        .because(
                                "beans take what they need in their constructor: final fields, visible dependencies, "
                                        + "testable without a container"));
        return rules;
    }

    private static String[] withDots(Set<String> packages, String... more) {
        List<String> all = new ArrayList<>();
        packages.forEach(p -> all.add(p + ".."));
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    private static final Set<String> SECRET_WORDS =
            Set.of("secret", "password", "credential", "digest", "token", "apikey");

    /**
     * A class that handles secrets (its name says so) calls {@code String.equals}/{@code
     * equalsIgnoreCase}/ {@code contentEquals} or {@code Arrays.equals}: the comparisons where
     * timing leaks what was matched.
     */
    /**
     * Comparisons in secret-handling code reviewed as not comparing secrets, with why. A new one
     * fails the rule until it is made constant-time or reviewed here.
     */
    private static final java.util.Map<String, String> REVIEWED_COMPARISONS =
            java.util.Map.of(
                    "gatehouse.contracts.keys.BasicAuthPasswords.hash", "the hash type's name",
                    "gatehouse.contracts.keys.BasicAuthPasswords.matches", "the hash type's name",
                    "gatehouse.gateway.keys.KeyedAccess.stripCredentials", "query parameter names",
                    "gatehouse.oauth.api.OAuthFlowResource.token", "a switch on the grant type");

    static ArchCondition<JavaClass> compareSecretsOnlyInConstantTime() {
        return new ArchCondition<>("compare secrets only in constant time") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                String name = item.getSimpleName().toLowerCase(java.util.Locale.ROOT);
                boolean handlesSecrets = SECRET_WORDS.stream().anyMatch(name::contains);
                for (JavaCall<?> call : item.getMethodCallsFromSelf()) {
                    String owner = call.getTargetOwner().getName();
                    String method = call.getName();
                    boolean arraysEquals =
                            owner.equals("java.util.Arrays")
                                    && method.equals("equals")
                                    && call.getTarget().getRawParameterTypes().stream()
                                            .anyMatch(t -> t.getName().equals("[B"));
                    boolean stringEquals =
                            owner.equals("java.lang.String")
                                    && (method.equals("equals")
                                            || method.equals("equalsIgnoreCase")
                                            || method.equals("contentEquals"));
                    boolean callerHandlesSecrets =
                            handlesSecrets
                                    || SECRET_WORDS.stream()
                                            .anyMatch(
                                                    word ->
                                                            call.getOrigin()
                                                                    .getName()
                                                                    .toLowerCase(
                                                                            java.util.Locale.ROOT)
                                                                    .contains(word));
                    String origin =
                            call.getOrigin().getOwner().getName()
                                    + "."
                                    + call.getOrigin().getName();
                    if (arraysEquals
                            || (stringEquals
                                    && callerHandlesSecrets
                                    && !comparesConstant(call)
                                    && !REVIEWED_COMPARISONS.containsKey(origin))) {
                        events.add(SimpleConditionEvent.violated(item, call.getDescription()));
                    }
                }
            }
        };
    }

    // "bcrypt".equals(hashType) compares a constant, not a secret: the receiver is a static final
    // field or literal
    private static boolean comparesConstant(JavaCall<?> call) {
        return call.getOrigin().getAccessesFromSelf().stream()
                .anyMatch(
                        access ->
                                access.getLineNumber() == call.getLineNumber()
                                        && access
                                                instanceof
                                                com.tngtech.archunit.core.domain.JavaFieldAccess
                                                        field
                                        && field.getTarget()
                                                .resolveMember()
                                                .map(
                                                        f ->
                                                                f.getModifiers()
                                                                                .contains(
                                                                                        com.tngtech
                                                                                                .archunit
                                                                                                .core
                                                                                                .domain
                                                                                                .JavaModifier
                                                                                                .STATIC)
                                                                        && f.getModifiers()
                                                                                .contains(
                                                                                        com.tngtech
                                                                                                .archunit
                                                                                                .core
                                                                                                .domain
                                                                                                .JavaModifier
                                                                                                .FINAL))
                                                .orElse(false));
    }
}
