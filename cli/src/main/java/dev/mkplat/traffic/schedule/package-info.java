/**
 * When the open model's requests are meant to go out: a {@link
 * dev.mkplat.traffic.schedule.LoadSchedule} of arrivals at a rate, constant or Poisson, with an
 * optional linear ramp, independent of the answers (so that a stalled server shows in the
 * latencies, as wrk2 measures them).
 */
package dev.mkplat.traffic.schedule;
