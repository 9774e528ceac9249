package dev.mkplat.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.render.ImagePins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the pinned digests come from, by kind of cluster (the registry cases run against a real registry in ImagesCommandIT). */
class ImagePinningTest {
    @TempDir
    Path work;

    @Test
    void minikubeAndKindPinTheBuiltArchivesDigestsInThePodTemplate() throws Exception {
        SourceCheckout checkout = new SourceCheckout(SourceCheckoutTest.checkout(work));
        String api = "sha256:" + "1".repeat(64);
        ServiceArchive archive = checkout.archives().getFirst();
        Files.createDirectories(archive.archive().getParent());
        Files.writeString(archive.archive(), "");
        Files.writeString(archive.digestFile(), api + "\n");
        ImagePinning pinning = new ImagePinning(new RegistryLookup(Duration.ofSeconds(1)));

        for (LoadTarget target : new LoadTarget[] {new LoadTarget.Minikube("minikube"), new LoadTarget.Kind("dev")}) {
            ImagePinning.Decision decision =
                    pinning.decide(target, Optional.of(checkout), PlatformConfig.Images.defaults(), Map.of());
            assertThat(decision.pins()).isEqualTo(new ImagePins(Map.of("api", new ImagePins.Pin(api, false))));
            assertThat(decision.notes())
                    .containsExactly("images: api pinned by the built archives' digests (loaded by tag; "
                            + "the pod templates carry the digest)");
        }
        assertThat(pinning.decide(
                                new LoadTarget.Kind("dev"),
                                Optional.empty(),
                                PlatformConfig.Images.defaults(),
                                Map.of())
                        .pins())
                .isEqualTo(ImagePins.NONE);
    }

    @Test
    void aRegistryThatDoesNotAnswerPinsNothing() {
        // Port 9 (discard) on loopback: refused at once.
        ImagePinning.Decision decision = new ImagePinning(new RegistryLookup(Duration.ofSeconds(1)))
                .decide(
                        new LoadTarget.Unsupported("remote"),
                        Optional.empty(),
                        new PlatformConfig.Images("127.0.0.1:9/mkplat", "1.0"),
                        Map.of());

        assertThat(decision.pins()).isEqualTo(ImagePins.NONE);
        assertThat(decision.notes()).isEmpty();
    }

    @Test
    void aDigestAlreadyKnownIsPinnedWithoutAskingTheRegistry() {
        // The registry refuses every connection: only the known digest can pin api.
        String api = "sha256:" + "2".repeat(64);
        PlatformConfig.Images images = new PlatformConfig.Images("127.0.0.1:9/mkplat", "1.0");
        ImagePinning.Decision decision = new ImagePinning(new RegistryLookup(Duration.ofSeconds(1)))
                .decide(
                        new LoadTarget.Unsupported("remote"),
                        Optional.empty(),
                        images,
                        Map.of(ImageRef.parse(images.reference("api")), api));

        assertThat(decision.pins()).isEqualTo(new ImagePins(Map.of("api", new ImagePins.Pin(api, true))));
    }
}
