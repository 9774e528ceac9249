# shellcheck shell=bash
# Sourced by the project's scripts and .ci/run: makes JAVA_HOME point at a JDK >= 21.
#
# Why: the project compiles with --release 21 and Helidon 4 needs Java 21 at run time, but many
# machines (this project's CI among them) default to Java 17. We keep a JAVA_HOME that is new
# enough, and otherwise pick the newest JDK >= 21 from the usual install locations.

mkplat_java_feature() {  # prints the feature version (17, 21, 25...) of the java in $1, or nothing
  local release="$1/release" version="" line
  [ -x "$1/bin/javac" ] || return 0
  if [ -f "$release" ]; then
    # Bash alone, no sed: scripts/mkplat runs this on every start, and each process costs ~1-2 ms.
    while IFS= read -r line; do
      case $line in
        JAVA_VERSION=*) version=${line#JAVA_VERSION=\"}; version=${version%%[!0-9]*}; break ;;
      esac
    done < "$release"
  else
    version=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
  fi
  echo "$version"
}

mkplat_use_jdk() {
  local min=21 best="" best_version=0 candidate version
  if [ -n "${JAVA_HOME:-}" ]; then
    version=$(mkplat_java_feature "$JAVA_HOME")
    if [ -n "$version" ] && [ "$version" -ge "$min" ]; then
      export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$candidate" ] && [ ! -L "$candidate" ] || continue
    version=$(mkplat_java_feature "$candidate")
    if [ -n "$version" ] && [ "$version" -ge "$min" ] && [ "$version" -gt "$best_version" ]; then
      best="$candidate" best_version="$version"
    fi
  done
  if [ -z "$best" ]; then
    {
      echo "mkplat: error: no JDK ${min} or newer found."
      echo "  JAVA_HOME=${JAVA_HOME:-<unset>}; looked in /usr/lib/jvm, /Library/Java/JavaVirtualMachines, ~/.sdkman, ~/.jdks."
      echo "  hint: install a JDK >= ${min} (for example Temurin 25) and set JAVA_HOME to it."
    } >&2
    return 1
  fi
  if [ -n "${JAVA_HOME:-}" ]; then
    echo "mkplat: JAVA_HOME=$JAVA_HOME is older than Java $min; using $best (Java $best_version)" >&2
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}
