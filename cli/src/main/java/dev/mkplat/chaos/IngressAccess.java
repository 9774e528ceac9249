package dev.mkplat.chaos;

import dev.mkplat.certs.CertificateFiles;
import dev.mkplat.config.PlatformConfig;
import dev.mkplat.traffic.engine.TrustSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How an experiment reaches the services from outside, as a user does: {@code https://} their
 * hosts of {@code mkplat.yaml}, trusting the platform's CA ({@code certs/<domain>/ca.crt} under the
 * working directory, when it is there) besides the JDK's.
 *
 * @param services the base URL of {@code api}, {@code auth} and {@code images}
 */
public record IngressAccess(Map<String, URI> services, TrustSettings trust) {
    public IngressAccess {
        services = Map.copyOf(services);
    }

    public static IngressAccess of(PlatformConfig config, Path workingDirectory) {
        Map<String, URI> services = new LinkedHashMap<>();
        services.put("api", URI.create("https://" + config.hosts().api()));
        services.put("auth", URI.create("https://" + config.hosts().auth()));
        services.put("images", URI.create("https://" + config.hosts().images()));
        Path ca = CertificateFiles.of(workingDirectory.resolve(CertificateFiles.DEFAULT_ROOT), config.domain())
                .caCertificate();
        return new IngressAccess(
                services, new TrustSettings(Files.isRegularFile(ca) ? Optional.of(ca) : Optional.empty(), false));
    }

    URI api() {
        return services.get("api");
    }

    URI auth() {
        return services.get("auth");
    }
}
