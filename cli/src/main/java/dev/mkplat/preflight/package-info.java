/**
 * The preflight checks of {@code mkplat init}, as data for {@link dev.mkplat.check.CheckRunner}:
 * a local context, a reachable and recent apiserver, RBAC for every object deploy applies, the
 * ingress controller, metrics API, default StorageClass and ServiceMonitor CRD, and the hosts-file
 * line that points the platform's names at the ingress ({@link dev.mkplat.preflight.HostsFile}).
 */
package dev.mkplat.preflight;
