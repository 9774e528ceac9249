package dev.mkplat.chaos;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.ComponentPods;
import dev.mkplat.kube.NetworkPartitions;
import dev.mkplat.kube.NetworkPartitions.Endpoint;
import dev.mkplat.kube.NetworkPartitions.Partition;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code chaos partition}: cuts one component off from another for a while, with NetworkPolicies (see {@link NetworkPartitions} for how). */
public final class NetworkPartition {
    /**
     * Said with every partition: a cluster without a policy-enforcing network plugin ignores
     * NetworkPolicies, and those that enforce them let connections that are already open go on.
     */
    public static final String ENFORCEMENT_NOTE =
            "note: NetworkPolicies are enforced by the cluster's network plugin (Calico, Cilium, "
                    + "kube-router, ...); on a cluster without one this partition changes no traffic. Connections already open when it begins "
                    + "are not cut: a client notices when it opens a new one (api renews its connections to auth every 10 s; "
                    + "connection pools to postgres and redis keep theirs longer)";

    /** Under traffic: how long after healing the error rate has to be back at baseline. */
    static final Duration RECOVER_WITHIN = Duration.ofMinutes(2);

    private final Cluster cluster;
    private final NetworkPartitions partitions;
    private final ComponentPods pods;
    private final Clock clock;
    private final PrintWriter out;
    private final Path workingDirectory;

    public NetworkPartition(Cluster cluster, Clock clock, PrintWriter out, Path workingDirectory) {
        this.cluster = cluster;
        this.partitions = new NetworkPartitions(cluster);
        this.pods = new ComponentPods(cluster);
        this.clock = clock;
        this.out = out;
        this.workingDirectory = workingDirectory;
    }

    /** Runs the partition for its duration, or only prints its plan with {@code dryRun}. */
    public void run(PartitionRequest request) {
        ChaosTarget from = request.from();
        ChaosTarget to = request.to();
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("durationSeconds", Seconds.of(request.duration()));
        request.traffic().ifPresent(plan -> options.put("withTraffic", plan.options()));
        Journal journal = new Journal("partition", from.name() + "->" + to.name(), options, clock);
        journal.cluster(cluster.context(), cluster.server());
        Path journalFile =
                request.journal().map(workingDirectory::resolve).orElseGet(() -> journal.defaultPath(workingDirectory));
        Endpoint fromEnd = endpoint(from);
        Endpoint toEnd = endpoint(to);
        String chaosPolicy = to.namespace() + "/" + NetworkPartitions.policyName(from.name(), to.name());
        for (Partition leftover : partitions.list(List.of(to.namespace()))) {
            if (leftover.policy().equals(NetworkPartitions.policyName(from.name(), to.name())) && !request.dryRun()) {
                out.println("an earlier partition " + from.name() + " -> " + to.name()
                        + " is still in place (due to end " + leftover.expires() + "): healing it first");
                partitions.heal(leftover);
            }
        }
        List<String> allowing = partitions.allowing(fromEnd, toEnd);
        if (allowing.isEmpty()) {
            throw MkplatException.failed(
                    "no NetworkPolicy of the platform lets " + from.name() + " connect to " + to.name()
                            + ": there is nothing to cut",
                    "partition two components that talk to each other, e.g. api auth, api postgres, auth redis");
        }
        out.println("chaos partition " + from.name() + " -> " + to.name() + " for " + Seconds.text(request.duration())
                + ", on context " + cluster.context());
        out.println("  " + (request.dryRun() ? "would create" : "creating") + " NetworkPolicy " + chaosPolicy
                + " (labelled mkplat.dev/chaos=partition)");
        allowing.forEach(policy -> out.println("  " + (request.dryRun() ? "would set aside" : "setting aside")
                + " NetworkPolicy " + policy + " (it allows " + from.name() + " -> " + to.name() + ")"));
        out.println(ENFORCEMENT_NOTE);
        out.flush();
        if (request.dryRun()) {
            out.println("dry run: nothing was changed");
            out.flush();
            return;
        }
        Partition[] made = new Partition[1];
        TimedFault.Fault fault = new TimedFault.Fault() {
            @Override
            public void inject(Journal journal) {
                made[0] = partitions.cut(fromEnd, toEnd, clock.instant().plus(request.duration()), "mkplat chaos");
                journal.action(
                        "partition",
                        Map.of(
                                "policy",
                                chaosPolicy,
                                "setAside",
                                made[0].setAside(),
                                "expires",
                                made[0].expires().toString()));
                out.println("partitioned: " + from.name() + " can no longer reach " + to.name());
                out.flush();
            }

            @Override
            public void undo(Journal journal) {
                Partition inPlace = made[0] != null
                        ? made[0]
                        : partitions.list(List.of(to.namespace())).stream()
                                .filter(p -> p.policy().equals(NetworkPartitions.policyName(from.name(), to.name())))
                                .findFirst()
                                .orElse(null);
                if (inPlace != null) {
                    partitions.heal(inPlace);
                    journal.action("heal", Map.of("policy", chaosPolicy, "restored", inPlace.setAside()));
                }
            }
        };
        Instant start = clock.instant();
        Instant end;
        Optional<TrafficWatch.Measurement> load;
        try (TrafficWatch traffic = TrafficWatch.of(request.traffic(), clock, out)) {
            end = new TimedFault(cluster, clock, out)
                    .hold(
                            "partition " + from.name() + " " + to.name(),
                            List.of(from, to),
                            request.duration(),
                            fault,
                            journal,
                            journalFile,
                            traffic);
            load = traffic.recovery(clock.instant().plus(RECOVER_WITHIN));
        }
        journal.report("partitionedSeconds", Seconds.of(Duration.between(start, end)));
        load.ifPresent(outcome -> journal.report("traffic", outcome.figures()));
        Journal.Verdict verdict =
                load.map(outcome -> outcome.verdict(Journal.Verdict.COMPLETED)).orElse(Journal.Verdict.COMPLETED);
        String summary = "partition " + from.name() + " -> " + to.name() + " held for "
                + Seconds.text(request.duration()) + " and healed"
                + load.map(outcome -> outcome.recovery()
                                .map(time -> "; the error rate was back at baseline " + Seconds.text(time)
                                        + " after it healed")
                                .orElse("; the error rate was NOT back at baseline within "
                                        + Seconds.text(RECOVER_WITHIN) + " after it healed"))
                        .orElse("")
                + (verdict == Journal.Verdict.DEVIATED ? ", but the steady state did not hold afterwards" : "");
        journal.write(journalFile, verdict, verdict.exitCode(), summary);
        load.ifPresent(outcome -> out.print(outcome.text()));
        out.println(summary);
        out.println("journal: " + journalFile);
        out.flush();
        if (verdict.exitCode() != ExitCode.OK) {
            throw new MkplatException(verdict.exitCode(), summary, "the journal " + journalFile + " has what was seen");
        }
    }

    private Endpoint endpoint(ChaosTarget target) {
        var workload = pods.workload(target.kind(), target.namespace(), target.name())
                .orElseThrow(() -> MkplatException.failed(
                        target.name() + " is not deployed: no " + target.kind() + " " + target.namespace() + "/"
                                + target.name() + " labelled part of mkplat",
                        "mkplat deploy installs it"));
        return new Endpoint(target.namespace(), target.name(), workload.templateLabels());
    }
}
