# shellcheck shell=bash
# The one wait loop of the shell scripts, sourced by those that wait (test-cluster and its real
# node, registry, run-local).
#
# retry ATTEMPTS INTERVAL COMMAND...: runs COMMAND until it succeeds, at most ATTEMPTS times,
# INTERVAL seconds apart (so the deadline is about ATTEMPTS x INTERVAL); returns 1 when it never
# did. A COMMAND that can tell early that waiting is pointless (the process it waits for died)
# stops the script itself, with its own message.
retry() {
  local attempts=$1 interval=$2 i
  shift 2
  for ((i = 1; i <= attempts; i++)); do
    "$@" && return 0
    ((i == attempts)) || sleep "$interval"
  done
  return 1
}
