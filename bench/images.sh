#!/usr/bin/env bash
# bench/images.sh: how long the service image build takes from cold and warm Jib caches, and how
# big the images are.
#
#   bench/images.sh            # one priming build, then cold and warm, RUNS times each (default 1)
#   RUNS=3 bench/images.sh
#
# Each run is the command `mkplat images build` runs (./mvnw -Pimages package -DskipTests -pl
# services/api,services/auth,services/images -am), offline, with Jib's caches in a directory of
# its own: -Djib.baseImageCache and -Djib.applicationCache. "cold" starts from empty caches (Jib
# unpacks and hashes the base image, compresses and hashes every layer); "warm" is the same build
# again with the caches it left. The priming build before them compiles, so neither measures javac.
# Both include Maven's start and its up-to-date checks of the modules. The base is whatever the
# build picks (the project's own base once scripts/base-image made it, else eclipse-temurin:25-jre,
# which needs Docker Hub: then run it online and without -o).
# Prints Markdown tables for docs/BENCHMARKS.md with the machine's cores and load average: the
# numbers move with both.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/jdk.sh
source scripts/lib/jdk.sh
mkplat_use_jdk >/dev/null

RUNS=${RUNS:-1}
OFFLINE=${OFFLINE:--o}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

build() { # cache-dir
  # shellcheck disable=SC2086 # OFFLINE is one flag or none
  ./mvnw -B -q -ntp $OFFLINE -Pimages package -DskipTests -pl services/api,services/auth,services/images -am \
    -Djib.baseImageCache="$1/base" -Djib.applicationCache="$1/app" >"$work/build.log" 2>&1 ||
    { tail -n 40 "$work/build.log" >&2; echo "bench/images.sh: the build failed" >&2; exit 1; }
}

seconds() { # command...
  local start end
  start=$(date +%s%N)
  "$@"
  end=$(date +%s%N)
  echo "scale=1; ($end - $start) / 1000000000" | bc
}

echo "priming (compiles once, not measured)..." >&2
build "$work/prime"
rm -rf "$work/prime"

cold=() warm=()
for ((i = 0; i < RUNS; i++)); do
  rm -rf "$work/cache"
  cold+=("$(seconds build "$work/cache")")
  warm+=("$(seconds build "$work/cache")")
  echo "run $((i + 1)): cold ${cold[-1]} s, warm ${warm[-1]} s" >&2
done

echo
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
echo "base: $( [[ -f $HOME/.cache/mkplat/base-image/java-base.tar ]] && echo "the project's own (~/.cache/mkplat/base-image/java-base.tar)" || echo eclipse-temurin:25-jre)"
echo
echo "| build (3 images) | seconds, each run |"
echo "| --- | --- |"
echo "| cold Jib caches | ${cold[*]} |"
echo "| warm Jib caches | ${warm[*]} |"
echo
echo "| image | archive MB | layers | compressed MB: base layers | dependencies | application | digest |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
base_layers=0
if [[ -f $HOME/.cache/mkplat/base-image/java-base.tar ]]; then
  base_layers=$(tar -xOf "$HOME/.cache/mkplat/base-image/java-base.tar" manifest.json | jq '.[0].Layers | length')
fi
for s in api auth images; do
  tar=services/$s/target/image/$s.tar
  manifest=$(tar -xOf "$tar" index.json | jq -r '.manifests[0].digest | sub(":"; "/")')
  sizes=$(tar -xOf "$tar" "blobs/$manifest" | jq -r '[.layers[].size] | @tsv')
  read -r -a layer <<<"$sizes"
  base=0 rest=()
  for ((j = 0; j < ${#layer[@]}; j++)); do
    if ((j < base_layers)); then base=$((base + layer[j])); else rest+=("${layer[j]}"); fi
  done
  # Jib's packaged mode: the dependencies' layer, then the jar's (plus, at the end, the extra files, if any).
  deps=${rest[0]:-0} app=0
  for ((j = 1; j < ${#rest[@]}; j++)); do app=$((app + rest[j])); done
  printf '| %s | %.1f | %d | %.1f | %.1f | %.2f | %s |\n' "$s" "$(echo "$(stat -c %s "$tar") / 1048576" | bc -l)" "${#layer[@]}" \
    "$(echo "$base / 1048576" | bc -l)" "$(echo "$deps / 1048576" | bc -l)" "$(echo "$app / 1048576" | bc -l)" \
    "$(cut -c1-19 "services/$s/target/image/$s.digest")"
done
