package dev.mkplat.render;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifests as parsed from a {@link ManifestSource}: every object of every file its index lists,
 * in index order, plus the text of the Secret specification ({@value #SECRETS_SPEC}).
 *
 * @param source   where it came from
 * @param files    the files, in apply order
 * @param secretsSpec the text of {@value #SECRETS_SPEC}, the Secrets generated at deploy time
 */
public record ManifestBundle(String source, List<ManifestFile> files, String secretsSpec) {
    /** The specification of the generated Secrets, beside the index. */
    public static final String SECRETS_SPEC = "secrets.yaml";

    /**
     * One file of the bundle.
     *
     * @param path    its path relative to the bundle root, for example {@code api/deployment.yaml}
     * @param objects the objects in it
     */
    public record ManifestFile(String path, List<HasMetadata> objects) {
        public ManifestFile {
            objects = List.copyOf(objects);
        }
    }

    public ManifestBundle {
        files = List.copyOf(files);
    }

    /** Reads and parses the whole bundle. */
    public static ManifestBundle load(ManifestSource source) {
        List<ManifestFile> files = new ArrayList<>();
        for (String path : index(source.read(ManifestSource.INDEX))) {
            try {
                files.add(new ManifestFile(path, KubernetesYaml.parseAll(source.read(path))));
            } catch (RuntimeException e) {
                if (e instanceof MkplatException known) {
                    throw known;
                }
                throw new MkplatException(
                        ExitCode.USAGE,
                        "cannot parse " + path + " of " + source.describe() + ": " + e.getMessage(),
                        null,
                        e);
            }
        }
        String secrets = source.has(SECRETS_SPEC) ? source.read(SECRETS_SPEC) : "secrets: []\n";
        return new ManifestBundle(source.describe(), files, secrets);
    }

    /** The bundle inside the jar, parsed once per process. */
    public static ManifestBundle bundled() {
        return Bundled.INSTANCE;
    }

    private static final class Bundled {
        static final ManifestBundle INSTANCE = load(ManifestSource.bundled());
    }

    /** The paths an index lists: one a line, blank lines and {@code #} comments skipped. */
    static List<String> index(String text) {
        return text.lines()
                .map(line -> {
                    int comment = line.indexOf('#');
                    return (comment >= 0 ? line.substring(0, comment) : line).strip();
                })
                .filter(line -> !line.isEmpty())
                .toList();
    }

    /** Every object, in apply order. */
    public List<HasMetadata> objects() {
        return files.stream().flatMap(file -> file.objects().stream()).toList();
    }
}
