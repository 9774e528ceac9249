/**
 * {@code mkplat chaos}: faults injected on purpose into the platform mkplat installed, with the
 * recovery measured. Every experiment is refused on a cluster that is not local (unless allowed),
 * touches only objects labelled part of the platform, takes a per-component lock so that two never
 * run on one component at once, prints its plan without changing anything under {@code --dry-run},
 * undoes itself when its time is up or the process is interrupted (and {@code chaos revert} undoes
 * what a crashed run left), and writes a JSON journal of what it did, saw and concluded. The
 * Kubernetes calls are in {@code dev.mkplat.kube}.
 */
package dev.mkplat.chaos;
