package io.bulkreg.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The directions a device travels in, as rules a wrong import breaks: {@code device} is what every stage speaks of
 * and knows no stage; the stages (lot, registration, results) know {@code device} and not each other; the platform
 * client and its sandbox know nothing of bulkreg; the job assembles the stages, the commands drive the job, and only
 * the application's wiring (the root package) chooses between the real platform and the sandbox.
 */
@AnalyzeClasses(packages = "io.bulkreg", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageDependenciesTest {

    @ArchTest
    static final ArchRule packagesDependOneWay = layeredArchitecture().consideringOnlyDependenciesInAnyPackage("io.bulkreg..")
            .layer("application").definedBy("io.bulkreg")
            .layer("cli").definedBy("io.bulkreg.cli..")
            .layer("job").definedBy("io.bulkreg.job..")
            .layer("lot").definedBy("io.bulkreg.lot..")
            .layer("registration").definedBy("io.bulkreg.registration..")
            .layer("results").definedBy("io.bulkreg.results..")
            .layer("device").definedBy("io.bulkreg.device..")
            .layer("mcs").definedBy("io.bulkreg.mcs..")
            .layer("sandbox").definedBy("io.bulkreg.sandbox..")
            .whereLayer("application").mayNotBeAccessedByAnyLayer()
            .whereLayer("cli").mayOnlyBeAccessedByLayers("application")
            .whereLayer("job").mayOnlyBeAccessedByLayers("cli", "application")
            .whereLayer("lot").mayOnlyBeAccessedByLayers("job", "cli", "application")
            .whereLayer("results").mayOnlyBeAccessedByLayers("job", "cli", "application")
            .whereLayer("registration").mayOnlyBeAccessedByLayers("job", "cli", "application")
            .whereLayer("device").mayOnlyBeAccessedByLayers("lot", "registration", "results", "job", "cli", "application")
            .whereLayer("mcs").mayOnlyBeAccessedByLayers("registration", "job", "cli", "application")
            .whereLayer("sandbox").mayOnlyBeAccessedByLayers("cli", "application");

    @ArchTest
    static final ArchRule noCycles = slices().matching("io.bulkreg.(*)..").should().beFreeOfCycles();
}
