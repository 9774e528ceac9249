/**
 * Sending the load: the blocking {@link dev.mkplat.traffic.engine.HttpEngine} that scenarios use,
 * the {@link dev.mkplat.traffic.engine.EventLoopClosedRunner} for closed runs of fixed requests,
 * and the runners of each model ({@link dev.mkplat.traffic.engine.OpenLoopRunner}, {@link
 * dev.mkplat.traffic.engine.ClosedLoopRunner}), each recording every answer into the run's
 * metrics.
 */
package dev.mkplat.traffic.engine;
