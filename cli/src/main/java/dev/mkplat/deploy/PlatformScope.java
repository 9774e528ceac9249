package dev.mkplat.deploy;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.MkplatException;
import dev.mkplat.render.ImagePins;
import dev.mkplat.render.ManifestBundle;
import dev.mkplat.render.PlatformRenderer;
import dev.mkplat.render.RenderedPlatform;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The components one command is about, chosen once, before any I/O, from what the user named and
 * checked against what the configuration renders. Deploy, diff and dry-run plan from it.
 *
 * @param rendered   the whole platform as this configuration renders it
 * @param requested  the components the user named; empty means all (and then deploy also prunes
 *                   components that left the bundle)
 * @param components the chosen components, in bundle order
 */
public record PlatformScope(RenderedPlatform rendered, List<String> requested, List<String> components) {
    public PlatformScope {
        requested = List.copyOf(requested);
        components = List.copyOf(components);
    }

    /**
     * Renders and chooses: an unknown component name is a usage error (exit 2) that lists the valid
     * ones.
     */
    public static PlatformScope choose(ManifestBundle bundle, PlatformConfig config, Collection<String> requested) {
        return choose(bundle, config, requested, ImagePins.NONE);
    }

    /** As {@link #choose(ManifestBundle, PlatformConfig, Collection)}, the service images pinned by {@code pins}. */
    public static PlatformScope choose(
            ManifestBundle bundle, PlatformConfig config, Collection<String> requested, ImagePins pins) {
        RenderedPlatform rendered = PlatformRenderer.render(bundle, config, pins);
        List<String> named = List.copyOf(requested);
        return new PlatformScope(rendered, named, choose(named, rendered.componentNames()));
    }

    /** The requested components among {@code valid}, in {@code valid}'s order; all of them when none is requested. */
    static List<String> choose(List<String> requested, List<String> valid) {
        List<String> unknown = requested.stream()
                .filter(name -> !valid.contains(name))
                .distinct()
                .toList();
        if (!unknown.isEmpty()) {
            throw MkplatException.usage(
                    (unknown.size() == 1 ? "unknown component '" : "unknown components '")
                            + String.join("', '", unknown) + "'; valid components: " + String.join(", ", valid),
                    "name components as listed, or none for the whole platform");
        }
        Set<String> chosen = new LinkedHashSet<>(requested);
        return requested.isEmpty()
                ? valid
                : valid.stream().filter(chosen::contains).toList();
    }

    /** Whether the user named no component: the whole platform, and prune reaches every recorded component. */
    public boolean all() {
        return requested.isEmpty();
    }

    /** The rendered objects of the chosen components. */
    public RenderedPlatform chosen() {
        return rendered.only(Set.copyOf(components));
    }
}
