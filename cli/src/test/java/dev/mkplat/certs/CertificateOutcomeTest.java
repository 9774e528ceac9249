package dev.mkplat.certs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.certs.CertificateOutcome.Action;
import dev.mkplat.certs.CertificateOutcome.Step;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateOutcomeTest {
    @Test
    void shownAsRewritesTheDirectoryInItselfAndInTheNotes() {
        Path directory = Path.of("/home/me/project/certs/test");
        CertificateOutcome outcome = new CertificateOutcome(
                directory,
                new Step(Action.CREATED, "none"),
                new Step(Action.KEPT, "valid"),
                null,
                null,
                List.of(
                        "fixed the permissions of /home/me/project/certs/test/ca.key to 0600",
                        "key type ec did not apply"));

        CertificateOutcome shown = outcome.shownAs(Path.of("certs/test"));

        assertThat(shown.directory()).isEqualTo(Path.of("certs/test"));
        assertThat(shown.notes())
                .containsExactly("fixed the permissions of certs/test/ca.key to 0600", "key type ec did not apply");
        assertThat(shown.ca()).isEqualTo(outcome.ca());
        assertThat(shown.server()).isEqualTo(outcome.server());
    }
}
