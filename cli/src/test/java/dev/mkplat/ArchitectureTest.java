package dev.mkplat;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Files;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The architecture of STYLE.md, enforced: one package owns the Kubernetes client (a few others see
 * only fabric8's object model), rendering is pure, picocli stays in the package that only parses,
 * validates and delegates, and no two packages import each other, directly or around a circle.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.mkplat");

    /** Reading or writing files; asking whether a path exists is option validation, not I/O. */
    private static final Set<String> FILE_IO_METHODS = Set.of(
            "readString",
            "readAllBytes",
            "readAllLines",
            "lines",
            "newBufferedReader",
            "newInputStream",
            "write",
            "writeString",
            "newBufferedWriter",
            "newOutputStream",
            "createFile",
            "createDirectory",
            "createDirectories",
            "createTempFile",
            "createTempDirectory",
            "delete",
            "deleteIfExists",
            "copy",
            "move",
            "list",
            "walk",
            "find",
            "newDirectoryStream",
            "setPosixFilePermissions",
            "setAttribute",
            "setLastModifiedTime",
            "newByteChannel");

    @Test
    void onlyTheKubePackageImportsTheKubernetesClient() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.mkplat.kube..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.fabric8.kubernetes.client..")
                .because("one package owns the fabric8 client (STYLE.md 7)")
                .check(MAIN);
    }

    @Test
    void outsideTheKubePackageFabric8IsOnlyTheObjectModel() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.mkplat.kube..")
                .should()
                .dependOnClassesThat(resideInAPackage("io.fabric8..")
                        .and(not(resideInAnyPackage(
                                "io.fabric8.kubernetes.api.model..", "io.fabric8.kubernetes.model.."))))
                .because(
                        "only kube touches fabric8's client, its DSL and its configuration; the others hand it model objects (STYLE.md 7)")
                .check(MAIN);
    }

    @Test
    void fabric8sObjectModelStaysWithThePackagesThatMakeOrHandOnObjects() {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "dev.mkplat.kube..",
                        "dev.mkplat.render..",
                        "dev.mkplat.secrets..",
                        "dev.mkplat.slo..",
                        "dev.mkplat.deploy..",
                        "dev.mkplat.images..",
                        "dev.mkplat.preflight..",
                        "dev.mkplat.chaos..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.fabric8..")
                .because(
                        "the rest of mkplat (certs, config, monitor, traffic, core, check, the commands) asks kube or deploy and gets "
                                + "mkplat's own types back; the object model goes no further than the packages that render, plan or read objects "
                                + "(STYLE.md 6, 7)")
                .check(MAIN);
    }

    @Test
    void thePackagesImportEachOtherWithoutCycles() {
        slices().matching("dev.mkplat.(*)..")
                .should()
                .beFreeOfCycles()
                .because(
                        "each package sits above the ones it uses, so that each can be read and tested from the bottom up")
                .check(MAIN);
    }

    @Test
    void thePartsOfTheLoadGeneratorImportEachOtherWithoutCycles() {
        slices().matching("dev.mkplat.traffic.(*)..")
                .should()
                .beFreeOfCycles()
                .because("schedule, scenario, engine and report are layers of the load generator (STYLE.md 21)")
                .check(MAIN);
    }

    @Test
    void onlyTheCliPackageTouchesPicocli() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.mkplat.cli..")
                .and()
                .doNotHaveFullyQualifiedName("dev.mkplat.Main")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("picocli..")
                .because(
                        "the domain packages know nothing of the command line; Main only hands it the arguments (STYLE.md 1, 2)")
                .check(MAIN);
    }

    @Test
    void theKubePackageIsTheBottomLayerAboveCore() {
        noClasses()
                .that()
                .resideInAPackage("dev.mkplat.kube..")
                .should()
                .dependOnClassesThat(resideInAPackage("dev.mkplat..")
                        .and(not(resideInAnyPackage("dev.mkplat.kube..", "dev.mkplat.core.."))))
                .because("kube is the bottom layer: every package may use it, and it uses none of them but core "
                        + "(constants it shares with render live in core)")
                .check(MAIN);
    }

    @Test
    void nothingBelowTheCommandsDependsOnThem() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.mkplat.cli..")
                .and()
                .doNotHaveFullyQualifiedName("dev.mkplat.Main")
                .and()
                .doNotHaveFullyQualifiedName("dev.mkplat.AotTraining")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.mkplat.cli..")
                .because(
                        "the commands are the top layer; only the entry points hand them the arguments (STYLE.md 1, 2)")
                .check(MAIN);
    }

    @Test
    void theCommandsHoldNoKubernetesOfTheirOwn() {
        noClasses()
                .that()
                .resideInAPackage("dev.mkplat.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.fabric8..")
                .because("commands validate, build a request and call a domain package (STYLE.md 1)")
                .check(MAIN);
    }

    @Test
    void theCommandsDoNoFileIoOfTheirOwn() {
        noClasses()
                .that()
                .resideInAPackage("dev.mkplat.cli..")
                .should()
                .callMethodWhere(
                        new DescribedPredicate<JavaMethodCall>("reads or writes a file through java.nio.file.Files") {
                            @Override
                            public boolean test(JavaMethodCall call) {
                                return call.getTargetOwner().isEquivalentTo(Files.class)
                                        && FILE_IO_METHODS.contains(call.getName());
                            }
                        })
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.io.FileInputStream")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.io.FileOutputStream")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.io.FileReader")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.io.FileWriter")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.io.RandomAccessFile")
                .because("file I/O lives in the domain packages, where it is tested (STYLE.md 1)")
                .check(MAIN);
    }

    @Test
    void renderingIsPure() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.mkplat.render..", "dev.mkplat.secrets..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.mkplat.kube..", "dev.mkplat.deploy..", "dev.mkplat.cli..")
                .because(
                        "rendering and Secret planning take inputs and return objects, with no cluster in sight (STYLE.md 6)")
                .check(MAIN);
    }
}
