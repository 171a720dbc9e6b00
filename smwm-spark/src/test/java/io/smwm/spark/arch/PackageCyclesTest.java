package io.smwm.spark.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.net.URL;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of all three modules form a directed acyclic graph: every package (sub-packages count as their
 * own) may depend on packages upstream of it in the flow, never back, and the modules depend one way (core ←
 * data ← spark). Checked on the main classes of smwm-core, smwm-data and smwm-spark (the class folders or jars
 * that hold them on this module's test class path).
 */
class PackageCyclesTest {

    private static JavaClasses mainClasses() {
        List<URL> modules = Stream.of(io.smwm.core.util.Seeds.class, io.smwm.data.table.TrajectorySchema.class,
                        io.smwm.spark.cli.Main.class)
                .map(c -> c.getProtectionDomain().getCodeSource().getLocation()).toList();
        return new ClassFileImporter().importUrls(modules);
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        JavaClasses classes = mainClasses();
        assertTrue(classes.size() > 200, "expected the project's classes on the class path, found " + classes.size());
        slices().matching("io.smwm.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void modulesDependOneWay() {
        JavaClasses classes = mainClasses();
        noClasses().that().resideInAPackage("io.smwm.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.smwm.data..", "io.smwm.spark..").check(classes);
        noClasses().that().resideInAPackage("io.smwm.data..")
                .should().dependOnClassesThat().resideInAPackage("io.smwm.spark..").check(classes);
    }
}
