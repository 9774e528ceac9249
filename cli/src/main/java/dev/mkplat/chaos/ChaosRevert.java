package dev.mkplat.chaos;

import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.ExperimentLocks;
import dev.mkplat.kube.NetworkPartitions;
import dev.mkplat.kube.StoppedWorkloads;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code chaos revert}, and the warning of {@code status}: what chaos left in the cluster
 * (partitions, stopped workloads, locks), found by its labels and annotations, and undone.
 */
public final class ChaosRevert {
    private final NetworkPartitions partitions;
    private final StoppedWorkloads workloads;
    private final ExperimentLocks locks;
    private final List<String> namespaces;

    /** @param namespaces the platform's namespaces, where chaos objects can be */
    public ChaosRevert(Cluster cluster, List<String> namespaces) {
        this.partitions = new NetworkPartitions(cluster);
        this.workloads = new StoppedWorkloads(cluster);
        this.locks = new ExperimentLocks(cluster, Clock.systemUTC());
        this.namespaces = List.copyOf(namespaces);
    }

    /** The namespaces of these targets, each once. */
    public static List<String> namespaces(List<ChaosTarget> targets) {
        return targets.stream().map(ChaosTarget::namespace).distinct().toList();
    }

    /** One line per chaos object in place, as a person reads it; empty when there is none. */
    public List<String> inPlace() {
        List<String> lines = new ArrayList<>();
        for (NetworkPartitions.Partition partition : partitions.list(namespaces)) {
            lines.add("partition " + partition.from() + " -> " + partition.to() + " (NetworkPolicy "
                    + partition.namespace() + "/" + partition.policy() + ", due to end " + partition.expires() + ")");
        }
        for (StoppedWorkloads.Stopped stopped : workloads.all(namespaces)) {
            lines.add("stopped " + stopped.ref() + " (had " + stopped.replicas() + " replicas, due back "
                    + stopped.expires() + ")");
        }
        for (ExperimentLocks.Holder lock : locks.all(namespaces)) {
            lines.add("lock on " + lock.component() + ": " + lock.experiment() + " by " + lock.holder() + " (lapses "
                    + lock.expires() + ")");
        }
        return lines;
    }

    /**
     * Heals every partition, restores every stopped workload, removes every lock.
     *
     * @param out where each step is printed
     * @return how many objects were reverted
     */
    public int revert(PrintWriter out, boolean dryRun) {
        String verb = dryRun ? "would revert " : "reverted ";
        int count = 0;
        for (NetworkPartitions.Partition partition : partitions.list(namespaces)) {
            if (!dryRun) {
                partitions.heal(partition);
            }
            out.println(verb + "partition " + partition.from() + " -> " + partition.to() + ": NetworkPolicy "
                    + partition.namespace() + "/"
                    + partition.policy() + (dryRun ? " would be" : "") + " removed, "
                    + String.join(", ", partition.setAside())
                    + (dryRun ? " would be" : "") + " restored");
            count++;
        }
        for (StoppedWorkloads.Stopped stopped : workloads.all(namespaces)) {
            if (!dryRun) {
                workloads.restore(stopped);
            }
            out.println(verb + "stop of " + stopped.ref() + ": back to " + stopped.replicas() + " replicas");
            count++;
        }
        for (ExperimentLocks.Holder lock : locks.all(namespaces)) {
            if (!dryRun) {
                locks.remove(lock);
            }
            out.println(verb + "lock on " + lock.component() + " (" + lock.experiment() + " by " + lock.holder() + ")");
            count++;
        }
        out.println(
                count == 0
                        ? "nothing to revert: no chaos object in the cluster"
                        : (dryRun ? "dry run: nothing was changed" : "reverted " + count));
        out.flush();
        return count;
    }
}
