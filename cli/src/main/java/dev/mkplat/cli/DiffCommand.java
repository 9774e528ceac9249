package dev.mkplat.cli;

import dev.mkplat.certs.CertificateFiles;
import dev.mkplat.config.PlatformConfig;
import dev.mkplat.deploy.PlatformDiff;
import dev.mkplat.deploy.PlatformScope;
import dev.mkplat.images.ImagePinning;
import dev.mkplat.kube.Cluster;
import dev.mkplat.render.ManifestBundle;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mkplat diff}: what {@code deploy} would change, from a server-side dry-run; writes nothing. */
@Command(
        name = "diff",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Shows what deploy would change: unified diffs, new objects and what would be pruned.",
        description = {
            "",
            "Each object goes through a server-side dry-run apply, so the diff includes the apiserver's defaulting",
            "and merging. Secret values never show: a changed one reads <redacted, changes>. Nothing is written.",
            "",
        },
        footer = {"", "Exit codes: 0 ok (with or without differences), 1 the cluster failed, 2 bad usage or input."})
public final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    MkplatCommand root;

    @Mixin
    KubeOptions kube;

    @Mixin
    ConfigOptions configOptions;

    @Parameters(paramLabel = "COMPONENT", arity = "0..*", description = "Components to compare (default: all).")
    List<String> components = new ArrayList<>();

    @Option(names = "--force-conflicts", description = "Compare as deploy --force-conflicts would apply.")
    boolean forceConflicts;

    @Override
    public Integer call() {
        PlatformConfig config = configOptions.load();
        ManifestBundle bundle = ManifestBundle.bundled();
        PlatformScope scope = PlatformScope.choose(bundle, config, components);
        PrintWriter out = spec.commandLine().getOut();
        try (Cluster cluster = Cluster.connect(kube.target(), kube.trace())) {
            ImagePinning.Decision pinned =
                    ImagePinning.standard().forCluster(cluster, root.environment(), config.images());
            pinned.notes().forEach(out::println);
            scope = PlatformScope.choose(bundle, config, components, pinned.pins());
            PlatformDiff.Result result = new PlatformDiff(bundle)
                    .run(
                            cluster,
                            config,
                            scope,
                            root.environment().resolve(Path.of(CertificateFiles.DEFAULT_ROOT)),
                            forceConflicts);
            result.notes().forEach(note -> out.println("note: " + note));
            result.changed().values().forEach(out::print);
            result.created().forEach(ref -> out.println("+ would create " + ref));
            result.pruned().forEach(ref -> out.println("- would prune  " + ref));
            result.refused()
                    .forEach(refusal -> out.println("! would fail   " + refusal.ref() + ": " + refusal.detail()));
            out.println("diff: " + result.changed().size() + " would change, "
                    + result.created().size() + " would be created, "
                    + result.pruned().size() + " would be pruned, " + result.unchanged() + " unchanged"
                    + (result.refused().isEmpty() ? "" : ", " + result.refused().size() + " would be refused"));
            out.flush();
        }
        return 0;
    }
}
