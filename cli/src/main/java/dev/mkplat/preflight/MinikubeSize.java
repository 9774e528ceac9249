package dev.mkplat.preflight;

import dev.mkplat.kube.PodRequests;

/**
 * The smallest {@code minikube start --cpus N --memory M} whose node leaves room for a given amount
 * of requests. A default minikube's own pods request about 950m CPU (kube-apiserver 250m,
 * controller-manager 200m, scheduler 100m, etcd 100m, CoreDNS, ingress-nginx and metrics-server
 * 100m each) and 460 MiB (etcd 100, CoreDNS 70, ingress-nginx 90, metrics-server 200); its node's
 * allocatable is the whole VM. minikube's defaults are 2 CPUs and at least 2200 MB.
 *
 * @param cpus      whole CPUs
 * @param memoryMib memory in MiB (minikube reads {@code --memory 4000} as MiB)
 */
record MinikubeSize(int cpus, long memoryMib) {
    static final PodRequests MINIKUBE_SYSTEM_PODS = new PodRequests(950, 460L << 20);
    static final int MIN_CPUS = 2;
    static final long MIN_MEMORY_MIB = 2200;
    /** minikube sizes are usually given in round numbers; so are ours. */
    static final long MEMORY_STEP_MIB = 250;

    static MinikubeSize fitting(PodRequests platform) {
        PodRequests total = platform.plus(MINIKUBE_SYSTEM_PODS);
        int cpus = (int) Math.max(MIN_CPUS, Math.ceilDiv(total.cpuMillis(), 1000));
        long mib = Math.ceilDiv(total.memoryBytes(), 1L << 20);
        long memory = Math.max(MIN_MEMORY_MIB, Math.ceilDiv(mib, MEMORY_STEP_MIB) * MEMORY_STEP_MIB);
        return new MinikubeSize(cpus, memory);
    }

    String command() {
        return "minikube start --cpus " + cpus + " --memory " + memoryMib;
    }
}
