/**
 * {@code mkplat traffic}: an open-model load generator whose latencies can be trusted.
 *
 * <p>{@link dev.mkplat.traffic.TrafficRun} is the pipeline the command calls, and the API for a
 * caller in the same process: {@link dev.mkplat.traffic.TrafficRun#start} takes a {@link
 * dev.mkplat.traffic.TrafficRequest} (a scenario, its targets and a {@link
 * dev.mkplat.traffic.LoadModel}, open or closed) and returns a {@link
 * dev.mkplat.traffic.RunningTraffic} whose seconds can be read while it runs, and which can be
 * stopped. Its parts live in sub-packages: {@code schedule} (when requests are meant to go out),
 * {@code engine} (sending them: the blocking HTTP engine, the event-loop engine and the runners of
 * each model), {@code report} (recording, sampling and rendering what happened) and {@code
 * scenario} (what is sent).
 */
package dev.mkplat.traffic;
