/**
 * Everything that talks to the Kubernetes API, and the only package that imports
 * {@code io.fabric8.kubernetes.client} (an ArchUnit test holds it to that): connecting from a
 * kubeconfig and context ({@link dev.mkplat.kube.Cluster}), server-side apply with one result per
 * object ({@link dev.mkplat.kube.ResourceApplier}), the one deadline-and-poll wait ({@link
 * dev.mkplat.kube.Wait}) that rollouts ({@link dev.mkplat.kube.RolloutWaiter}) and namespaces are
 * waited on, the report of a workload that did not become ready ({@link
 * dev.mkplat.kube.RolloutReport}), and the inventory that makes pruning safe ({@link
 * dev.mkplat.kube.Inventory}). Other packages hand it fabric8 model objects and get plain records
 * back.
 */
package dev.mkplat.kube;
