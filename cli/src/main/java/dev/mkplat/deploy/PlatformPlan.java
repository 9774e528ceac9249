package dev.mkplat.deploy;

import dev.mkplat.certs.CertificateFiles;
import dev.mkplat.certs.CertificateOutcome;
import dev.mkplat.certs.CertificatePlan;
import dev.mkplat.certs.PlatformCertificates;
import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.kube.ObjectRef;
import dev.mkplat.render.ManifestBundle;
import dev.mkplat.render.RenderedPlatform;
import dev.mkplat.secrets.SecretPlanner;
import dev.mkplat.secrets.SecretPlanner.Disposition;
import dev.mkplat.secrets.SecretPlanner.PlannedSecret;
import dev.mkplat.secrets.SecretPlanner.TlsMaterial;
import dev.mkplat.secrets.SecretSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * The objects one deploy is about: the rendered bundle of the chosen components plus the Secrets
 * it needs. Deploy, diff and dry-run all start here.
 *
 * @param components the chosen components, in bundle order
 * @param objects    the objects to apply, in bundle order, Secrets first
 * @param kept       the generated Secrets that exist and are left alone
 * @param warnings   what the user should know (for example two copies of a password that differ)
 */
public record PlatformPlan(
        List<String> components, List<HasMetadata> objects, List<HasMetadata> kept, List<String> warnings) {
    public PlatformPlan {
        components = List.copyOf(components);
        objects = List.copyOf(objects);
        kept = List.copyOf(kept);
        warnings = List.copyOf(warnings);
    }

    /**
     * Plans the chosen components.
     *
     * @param scope       the chosen components and their rendered objects
     * @param existing    the decoded values of an existing Secret (empty: none, as in an offline dry-run)
     * @param certificate the platform certificate, if the chosen components need it
     */
    public static PlatformPlan of(
            ManifestBundle bundle,
            PlatformConfig config,
            PlatformScope scope,
            BiFunction<String, String, Optional<Map<String, String>>> existing,
            Optional<TlsMaterial> certificate,
            SecureRandom random) {
        List<String> components = scope.components();
        RenderedPlatform chosen = scope.chosen();
        SecretPlanner.Plan secrets = new SecretPlanner(random)
                .plan(
                        SecretSpec.parseAll(bundle.secretsSpec()),
                        config,
                        Set.copyOf(components),
                        existing,
                        certificate,
                        PlatformPlan::readFile);
        List<HasMetadata> objects = new ArrayList<>();
        List<HasMetadata> kept = new ArrayList<>();
        for (PlannedSecret secret : secrets.secrets()) {
            (secret.disposition() == Disposition.KEEP ? kept : objects).add(secret.secret());
        }
        objects.addAll(chosen.objects());
        return new PlatformPlan(components, objects, kept, secrets.warnings());
    }

    /** Each component's objects (the kept Secrets included, so that prune never takes them). */
    public Map<String, Set<ObjectRef>> byComponent() {
        Map<String, Set<ObjectRef>> desired = new LinkedHashMap<>();
        List<HasMetadata> all = new ArrayList<>(objects);
        all.addAll(kept);
        for (HasMetadata object : all) {
            desired.computeIfAbsent(RenderedPlatform.componentOf(object), key -> new TreeSet<>())
                    .add(ObjectRef.of(object));
        }
        return desired;
    }

    /** The minimum replicas each autoscaled workload will be raised to, by the workload. */
    public Map<ObjectRef, Integer> autoscalerFloors() {
        Map<ObjectRef, Integer> floors = new LinkedHashMap<>();
        for (HasMetadata object : objects) {
            if (object instanceof HorizontalPodAutoscaler autoscaler
                    && autoscaler.getSpec().getMinReplicas() != null) {
                var target = autoscaler.getSpec().getScaleTargetRef();
                floors.put(
                        new ObjectRef(
                                target.getApiVersion(),
                                target.getKind(),
                                autoscaler.getMetadata().getNamespace(),
                                target.getName()),
                        autoscaler.getSpec().getMinReplicas());
            }
        }
        return floors;
    }

    /** The Namespaces the plan creates, by name. */
    public List<String> namespaces() {
        return objects.stream()
                .filter(object -> object.getKind().equals("Namespace"))
                .map(object -> object.getMetadata().getName())
                .toList();
    }

    /** Whether any Secret of these components is made from the platform certificate. */
    public static boolean needsCertificate(ManifestBundle bundle, PlatformConfig config, List<String> components) {
        return SecretSpec.parseAll(bundle.secretsSpec()).stream()
                .filter(spec -> components.isEmpty() || components.contains(spec.namespace()))
                .filter(spec -> !"monitoring".equals(spec.namespace())
                        || config.monitoring().enabled())
                .anyMatch(spec -> spec.data().values().stream().anyMatch(SecretSpec.CertificatePart.class::isInstance));
    }

    /**
     * The platform certificate from the certs directory, generated first when there is none (and
     * renewed when its names changed or it expires soon), as {@code certs generate} would.
     */
    public static Certificate certificate(Path certsRoot, PlatformConfig config, Clock clock) {
        CertificateFiles files = CertificateFiles.of(certsRoot, config.domain());
        CertificateOutcome outcome = PlatformCertificates.ensure(
                files, config, CertificatePlan.generate(Optional.empty(), CertificatePlan.DEFAULT_SERVER_DAYS), clock);
        CertificateFiles.TlsPair pair = files.tlsPair()
                .orElseThrow(() -> new MkplatException(
                        ExitCode.FAILED,
                        "no certificate in " + files.directory() + " after generating it",
                        "run mkplat certs generate"));
        return new Certificate(new TlsMaterial(pair.chain(), pair.key()), outcome);
    }

    /** The platform certificate and what {@code ensure} did to the files. */
    public record Certificate(TlsMaterial material, CertificateOutcome outcome) {}

    /** A stand-in certificate for an offline dry-run, whose Secret values are redacted anyway. */
    public static TlsMaterial placeholderCertificate() {
        byte[] placeholder = "redacted".getBytes(StandardCharsets.US_ASCII);
        return new TlsMaterial(placeholder, placeholder);
    }

    private static byte[] readFile(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw MkplatException.usage(
                    "the file " + path + " does not exist", "fix storage.credentialsFile in mkplat.yaml");
        } catch (IOException e) {
            throw new MkplatException(ExitCode.FAILED, "cannot read " + path + ": " + e.getMessage(), null, e);
        }
    }
}
