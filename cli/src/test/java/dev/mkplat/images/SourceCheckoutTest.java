package dev.mkplat.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceCheckoutTest {
    @TempDir
    Path work;

    @Test
    void findsTheCheckoutAboveTheJarThenAboveTheWorkingDirectory() throws Exception {
        Path checkout = checkout(work.resolve("mkplat"));
        Path jar = Files.createDirectories(checkout.resolve("cli/target")).resolve("mkplat.jar");
        Path elsewhere = Files.createDirectories(work.resolve("elsewhere/deep"));

        assertThat(SourceCheckout.find(Optional.of(jar), elsewhere)).contains(new SourceCheckout(checkout));
        assertThat(SourceCheckout.find(Optional.empty(), Files.createDirectories(checkout.resolve("services/api/src"))))
                .contains(new SourceCheckout(checkout));
        assertThat(SourceCheckout.find(Optional.of(work.resolve("opt/mkplat.jar")), elsewhere))
                .isEmpty();
    }

    @Test
    void buildsTheThreeServicesWithTheImagesProfileAndTheRevision() throws Exception {
        SourceCheckout checkout = new SourceCheckout(checkout(work));

        assertThat(checkout.buildCommand("abc"))
                .containsExactly(
                        work.resolve("mvnw").toString(),
                        "-B",
                        "-ntp",
                        "-Pimages",
                        "package",
                        "-DskipTests",
                        "-pl",
                        "services/api,services/auth,services/images",
                        "-am",
                        "-Dimages.revision=abc");
        assertThat(checkout.archives())
                .extracting(ServiceArchive::archive)
                .containsExactly(
                        work.resolve("services/api/target/image/api.tar"),
                        work.resolve("services/auth/target/image/auth.tar"),
                        work.resolve("services/images/target/image/images.tar"));
    }

    @Test
    void showsMavensProgressLinesOnly() {
        assertThat(ImageBuild.shown("[INFO] Building mkplat api 0.1.0-SNAPSHOT                               [5/7]"))
                .isTrue();
        assertThat(ImageBuild.shown("[INFO] Built image tarball at /x/services/api/target/image/api.tar"))
                .isTrue();
        assertThat(ImageBuild.shown("[ERROR] Failed to execute goal")).isTrue();
        assertThat(ImageBuild.shown("[INFO] Compiling 13 source files with javac"))
                .isFalse();
    }

    static Path checkout(Path root) throws Exception {
        Files.createDirectories(root.resolve("cli"));
        Files.writeString(root.resolve("mvnw"), "");
        Files.writeString(root.resolve("cli/pom.xml"), "");
        for (String service : SourceCheckout.SERVICES) {
            Files.createDirectories(root.resolve("services").resolve(service));
            Files.writeString(root.resolve("services").resolve(service).resolve("pom.xml"), "");
        }
        return root;
    }
}
