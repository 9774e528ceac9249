/**
 * Prometheus metrics of a service: the registry, the request latency histogram every service
 * shares, and the text exposition served at {@code /metrics}. Metric names are constants so that
 * the dashboards, the README and the code cannot drift apart.
 */
package dev.mkplat.service.metrics;
