/**
 * Distributed tracing with the OpenTelemetry SDK: W3C {@code traceparent}/{@code tracestate} in
 * and out, one server span per request, one client span per call to auth, exported over OTLP only
 * when an endpoint is configured.
 */
package dev.mkplat.service.tracing;
