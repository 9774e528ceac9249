package dev.mkplat.slo;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The service level objectives of the three services. Each one becomes recording rules and
 * multi-window, multi-burn-rate alerts ({@link SloRules}), and the thresholds {@code mkplat traffic}
 * checks by default.
 *
 * @param api    the api service's, default {@link #API}
 * @param auth   the auth service's, default {@link #AUTH}
 * @param images the images service's, default {@link #IMAGES}
 */
public record Slos(Slo api, Slo auth, Slo images) {
    /** The default period every objective is measured over. */
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(28);
    /** api: 99.5% of requests without a server error, 99% of them within 250 ms. */
    public static final Slo API =
            new Slo("api", 99.5, new LatencyObjective(99, Duration.ofMillis(250)), DEFAULT_WINDOW);
    /**
     * auth: every token of the other services is verified there, so its availability is stricter;
     * logins hash a password (Argon2id, about 0.1 s of a core), so its latency is looser.
     */
    public static final Slo AUTH =
            new Slo("auth", 99.9, new LatencyObjective(99, Duration.ofMillis(500)), DEFAULT_WINDOW);
    /** images: uploads carry whole files, so 1 s. */
    public static final Slo IMAGES =
            new Slo("images", 99.5, new LatencyObjective(99, Duration.ofSeconds(1)), DEFAULT_WINDOW);

    public Slos {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(images, "images");
    }

    public static Slos defaults() {
        return new Slos(API, AUTH, IMAGES);
    }

    /** Every service's objectives, in a fixed order (api, auth, images). */
    public List<Slo> all() {
        return List.of(api, auth, images);
    }

    /** The objectives of the service with this name, if it is one of the three. */
    public Optional<Slo> of(String service) {
        return all().stream().filter(slo -> slo.service().equals(service)).findFirst();
    }
}
