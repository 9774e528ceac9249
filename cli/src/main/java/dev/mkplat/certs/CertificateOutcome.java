package dev.mkplat.certs;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What {@code certs generate} or {@code regenerate} did.
 *
 * @param directory the domain's certificate directory
 * @param ca        what happened to the CA, and why
 * @param server    what happened to the server certificate, and why
 * @param caSummary the CA as it is now
 * @param serverSummary the server certificate as it is now
 * @param notes     anything else worth saying (permissions fixed, a key type that did not apply)
 */
public record CertificateOutcome(
        Path directory,
        Step ca,
        Step server,
        CertificateSummary caSummary,
        CertificateSummary serverSummary,
        List<String> notes) {
    public CertificateOutcome {
        notes = List.copyOf(notes);
    }

    /**
     * This outcome as the user reads it: the directory written as {@code shown} (for example
     * relative to the working directory), in the notes too.
     */
    public CertificateOutcome shownAs(Path shown) {
        String from = directory + "/";
        String to = shown + "/";
        return new CertificateOutcome(
                shown,
                ca,
                server,
                caSummary,
                serverSummary,
                notes.stream().map(note -> note.replace(from, to)).toList());
    }

    /** Whether any file was written (so the cluster's Secrets may be out of date). */
    public boolean changed() {
        return ca.action() != Action.KEPT || server.action() != Action.KEPT;
    }

    /** What happened to one certificate. */
    public enum Action {
        CREATED,
        RENEWED,
        KEPT;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One certificate's action and the reason for it, e.g. RENEWED / "SANs changed: +grafana.test".
     *
     * @param action what happened
     * @param reason why, for people
     */
    public record Step(Action action, String reason) {}
}
