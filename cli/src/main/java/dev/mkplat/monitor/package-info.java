/**
 * {@code mkplat monitor}: kube-prometheus-stack installed, upgraded and removed through the
 * embedded Helm (helm-java, no helm binary), and the proof that monitoring works: Prometheus'
 * targets for the platform's ServiceMonitors, and a status view fed by Prometheus' queries.
 * Helm's own records and the cluster are read through {@link dev.mkplat.kube}.
 */
package dev.mkplat.monitor;
