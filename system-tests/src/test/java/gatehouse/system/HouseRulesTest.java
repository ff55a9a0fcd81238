package gatehouse.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.lang.ArchRule;
import gatehouse.testsupport.architecture.HouseRules;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The house rules over every module's main classes (docs/CONTRIBUTING.md): run here because this
 * module is built after all the others, and so sees each of them, new services included.
 */
class HouseRulesTest {

    private static HouseRules.Build build;

    @BeforeAll
    static void importTheBuild() throws Exception {
        build = HouseRules.importBuild(Path.of(System.getProperty("gatehouse.root", "..")));
        assertTrue(
                build.servicePackages().size() >= 4,
                "the services must be found: " + build.servicePackages());
    }

    @TestFactory
    Stream<DynamicTest> everyRuleHolds() {
        return HouseRules.all(build).stream()
                .map(rule -> DynamicTest.dynamicTest(rule.getDescription(), () -> check(rule)));
    }

    private static void check(ArchRule rule) {
        rule.check(build.classes());
    }
}
