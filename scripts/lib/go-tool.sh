# shellcheck shell=bash
# Sourced by the project's scripts: builds a Go command from the Go module proxy into the cache,
# once per pinned version, and prints its path. For tools whose module has no replace directives,
# so that plain `go install pkg@version` works (those that need a wrapper module, like Kubernetes,
# build their own way in scripts/test-cluster).
#
#   source scripts/lib/go-tool.sh
#   bin=$(go_tool_path actionlint github.com/rhysd/actionlint/cmd/actionlint v1.7.12 "~1 min")
#
# The binary lands in ${MKPLAT_CACHE:-$HOME/.cache/mkplat}/go-tools/NAME/VERSION/NAME, static (no
# cgo), with paths trimmed and symbols stripped. A stamp next to it, written only after the binary
# was moved into place, says the build is complete, so an interrupted build is redone and two
# concurrent callers never see half a binary.

go_tool_log() { printf '%s\n' "$*" >&2; }

# Exits (1) with a paragraph that says what needs Go and why, when no usable go is found.
go_tool_require_go() { # name version
  local v minor
  if ! command -v go >/dev/null 2>&1; then
    go_tool_log "mkplat: error: no 'go' command found; $1 $2 is built from the Go module proxy with Go 1.26 or newer (https://go.dev/doc/install)."
    exit 1
  fi
  v=$(go env GOVERSION 2>/dev/null) || { go_tool_log "mkplat: error: 'go env GOVERSION' failed"; exit 1; }
  if [[ $v =~ ^go1\.([0-9]+) ]]; then
    minor=${BASH_REMATCH[1]}
    # With GOTOOLCHAIN=auto an older go fetches the toolchain a module asks for by itself.
    if ((minor < 26)) && [[ $(go env GOTOOLCHAIN) == local* ]]; then
      go_tool_log "mkplat: error: $1 $2 needs Go 1.26 or newer, found $v (GOTOOLCHAIN=local)."
      exit 1
    fi
  fi
}

go_tool_path() { # name package version [how long the first build takes, for the progress line]
  local name=$1 package=$2 version=$3 estimate=${4:-a few minutes}
  local dir=${MKPLAT_CACHE:-$HOME/.cache/mkplat}/go-tools/$name/$version
  local binary=$dir/$name tmp start=$SECONDS
  if [[ -x $binary && -f $dir/.complete && $(<"$dir/.complete") == "$version" ]]; then
    printf '%s\n' "$binary"
    return 0
  fi
  go_tool_require_go "$name" "$version"
  go_tool_log "mkplat: building $name $version from $package (first time only, $estimate)..."
  mkdir -p "$dir"
  tmp=$(mktemp -d "$dir/tmp.XXXXXX")
  if ! env CGO_ENABLED=0 GOBIN="$tmp" go install -trimpath -ldflags='-s -w' "$package@$version" >&2; then
    rm -rf "$tmp"
    go_tool_log "mkplat: error: go install $package@$version failed (output above)"
    exit 1
  fi
  mv -f "$tmp/$(basename "$package")" "$binary"
  rm -rf "$tmp"
  printf '%s' "$version" >"$dir/.complete"
  go_tool_log "mkplat: $name built in $((SECONDS - start))s: $binary"
  printf '%s\n' "$binary"
}
