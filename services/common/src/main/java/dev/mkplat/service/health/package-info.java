/**
 * Liveness and readiness. Liveness says only that the process serves HTTP; readiness runs each
 * dependency check under one deadline, so that a hung dependency makes the pod unready instead of
 * hanging the kubelet's probe.
 */
package dev.mkplat.service.health;
