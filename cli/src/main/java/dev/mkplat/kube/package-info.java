/**
 * Everything that talks to the Kubernetes API, and the only package that imports
 * {@code io.fabric8.kubernetes.client} (an ArchUnit test holds it to that): connecting from a
 * kubeconfig and context ({@link dev.mkplat.kube.Cluster}), server-side apply with one result per
 * object ({@link dev.mkplat.kube.ResourceApplier}), waiting for rollouts with deadlines ({@link
 * dev.mkplat.kube.RolloutWaiter}), and the inventory that makes pruning safe ({@link
 * dev.mkplat.kube.Inventory}). Other packages hand it fabric8 model objects and get plain records
 * back.
 */
package dev.mkplat.kube;
