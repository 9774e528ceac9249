package dev.mkplat.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

import dev.mkplat.certs.CertificateFiles;
import dev.mkplat.certs.CertificateOutcome;
import dev.mkplat.certs.CertificatePlan;
import dev.mkplat.certs.PlatformCertificates;
import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.render.ManifestBundle;
import dev.mkplat.render.PlatformRenderer;
import dev.mkplat.render.RenderedPlatform;
import dev.mkplat.secrets.SecretPlanner;
import dev.mkplat.secrets.SecretPlanner.Disposition;
import dev.mkplat.secrets.SecretPlanner.PlannedSecret;
import dev.mkplat.secrets.SecretPlanner.TlsMaterial;
import dev.mkplat.secrets.SecretSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The objects one deploy is about: the rendered bundle of the chosen components plus the Secrets
 * it needs. Deploy, diff and dry-run all start here.
 *
 * @param components the chosen components, in bundle order
 * @param objects    the objects to apply, in bundle order, Secrets first
 * @param kept       the generated Secrets that exist and are left alone
 * @param warnings   what the user should know (for example two copies of a password that differ)
 */
public record PlatformPlan(List<String> components, List<HasMetadata> objects, List<HasMetadata> kept, List<String> warnings) {
    public PlatformPlan {
        components = List.copyOf(components);
        objects = List.copyOf(objects);
        kept = List.copyOf(kept);
        warnings = List.copyOf(warnings);
    }

    /** The component names this configuration renders, in bundle order. */
    public static List<String> componentNames(ManifestBundle bundle, PlatformConfig config) {
        return PlatformRenderer.render(bundle, config).componentNames();
    }

    /**
     * The requested components, checked: an unknown name is a usage error (exit 2) that lists the
     * valid ones.
     */
    public static List<String> choose(List<String> requested, List<String> valid) {
        List<String> unknown = requested.stream().filter(name -> !valid.contains(name)).distinct().toList();
        if (!unknown.isEmpty()) {
            throw MkplatException.usage((unknown.size() == 1 ? "unknown component '" : "unknown components '")
                    + String.join("', '", unknown) + "'; valid components: " + String.join(", ", valid),
                    "name components as listed, or none for the whole platform");
        }
        Set<String> chosen = new LinkedHashSet<>(requested);
        return requested.isEmpty() ? valid : valid.stream().filter(chosen::contains).toList();
    }

    /**
     * Renders and plans.
     *
     * @param existing    the decoded values of an existing Secret (empty: none, as in an offline dry-run)
     * @param certificate the platform certificate, if the chosen components need it
     */
    public static PlatformPlan of(ManifestBundle bundle, PlatformConfig config, List<String> requested,
                                  BiFunction<String, String, Optional<Map<String, String>>> existing,
                                  Optional<TlsMaterial> certificate, SecureRandom random) {
        RenderedPlatform rendered = PlatformRenderer.render(bundle, config);
        List<String> components = choose(requested, rendered.componentNames());
        RenderedPlatform chosen = rendered.only(Set.copyOf(components));
        SecretPlanner.Plan secrets = new SecretPlanner(random).plan(SecretSpec.parseAll(bundle.secretsSpec()), config,
                Set.copyOf(components), existing, certificate, PlatformPlan::readFile);
        List<HasMetadata> objects = new ArrayList<>();
        List<HasMetadata> kept = new ArrayList<>();
        for (PlannedSecret secret : secrets.secrets()) {
            (secret.disposition() == Disposition.KEEP ? kept : objects).add(secret.secret());
        }
        objects.addAll(chosen.objects());
        return new PlatformPlan(components, objects, kept, secrets.warnings());
    }

    /** Whether any Secret of these components is made from the platform certificate. */
    public static boolean needsCertificate(ManifestBundle bundle, PlatformConfig config, List<String> components) {
        return SecretSpec.parseAll(bundle.secretsSpec()).stream()
                .filter(spec -> components.isEmpty() || components.contains(spec.namespace()))
                .filter(spec -> !"monitoring".equals(spec.namespace()) || config.monitoring().enabled())
                .anyMatch(spec -> spec.data().values().stream().anyMatch(SecretSpec.CertificatePart.class::isInstance));
    }

    /**
     * The platform certificate from the certs directory, generated first when there is none (and
     * renewed when its names changed or it expires soon), as {@code certs generate} would.
     */
    public static Certificate certificate(Path certsRoot, PlatformConfig config, Clock clock) {
        CertificateFiles files = CertificateFiles.of(certsRoot, config.domain());
        CertificateOutcome outcome = PlatformCertificates.ensure(files, config,
                CertificatePlan.generate(Optional.empty(), CertificatePlan.DEFAULT_SERVER_DAYS), clock);
        CertificateFiles.TlsPair pair = files.tlsPair().orElseThrow(() -> new MkplatException(ExitCode.FAILED,
                "no certificate in " + files.directory() + " after generating it", "run mkplat certs generate"));
        return new Certificate(new TlsMaterial(pair.chain(), pair.key()), outcome);
    }

    /** The platform certificate and what {@code ensure} did to the files. */
    public record Certificate(TlsMaterial material, CertificateOutcome outcome) {
    }

    /** A stand-in certificate for an offline dry-run, whose Secret values are redacted anyway. */
    public static TlsMaterial placeholderCertificate() {
        byte[] placeholder = "redacted".getBytes(StandardCharsets.US_ASCII);
        return new TlsMaterial(placeholder, placeholder);
    }

    private static byte[] readFile(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw MkplatException.usage("the file " + path + " does not exist", "fix storage.credentialsFile in mkplat.yaml");
        } catch (IOException e) {
            throw new MkplatException(ExitCode.FAILED, "cannot read " + path + ": " + e.getMessage(), null, e);
        }
    }
}
