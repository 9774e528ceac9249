# shellcheck shell=bash disable=SC2034,SC2153 # some constants are for scripts/test-cluster
# Sourced by scripts/test-cluster: the real node of `up --real-node`.
#
# One machine has at most one real node: containerd's socket, the kubelet's port 10250, hostPorts
# 80/443 and the CNI bridge are host-wide. The node belongs to the cluster that started it (its name
# is in $NODE_STATE/owner), and that cluster's `down` removes it and everything it left on the host.
#
# What runs and why, versions and measured times: docs/test-cluster.md ("The real node").

NODE_STATE=/var/lib/mkplat-node # containerd's images, the kubelet's root dir, configs, volumes
NODE_RUN=/run/mkplat-node       # pid files, containerd's state
REAL_NODE_VOLUMES=/tmp/mkplat-node-volumes # the PV pool's directories (see pv_pool_manifest)
NODE_NAME=$(hostname)           # the API server reaches the kubelet by the node's addresses
CONTAINERD_SOCKET=/run/containerd/containerd.sock # cAdvisor in the kubelet looks exactly here
BRIDGE=mkplat0
# Pods and Services: pinned, and apart from kwok's fake pod IPs (10.0.0.x) and the host's network.
CLUSTER_CIDR=10.244.0.0/16
SERVICE_CIDR=10.96.0.0/16
KUBERNETES_SERVICE_IP=10.96.0.1
DNS_SERVICE_IP=10.96.0.10
CLUSTER_DOMAIN=cluster.local
# What a default `minikube start` gives a user: 2 CPUs and 4000 MiB.
NODE_CPUS=2
NODE_MEMORY_MIB=4000
EVICTION_MEMORY_MIB=100 # the kubelet's default hard eviction threshold, memory.available<100Mi
# On minikube the control plane runs as pods on that node and its requests take room from it:
# kube-apiserver 250m, kube-controller-manager 200m, kube-scheduler 100m, etcd 100m and 100Mi,
# metrics-server 100m and 200Mi. Here they run outside the node, so the kubelet reserves that much
# (kubeReserved). CoreDNS (100m, 70Mi) and the ingress controller (100m, 90Mi) are pods here as
# there. So the room left for the platform is a default minikube's: 1050m CPU and 3540 MiB.
KUBE_RESERVED_CPU=750m
KUBE_RESERVED_MEMORY_MIB=300

COREDNS_VERSION=v1.14.7
PAUSE_IMAGE=registry.k8s.io/pause:3.10.1
# NetworkPolicy enforcement: kube-router in firewall-only mode. v2.1.0 is the only version the Go
# module proxy serves (newer ones are refused).
KUBE_ROUTER_VERSION=v2.1.0
KUBE_ROUTER_MODULE=github.com/cloudnativelabs/kube-router/v2
# Ingresses of class nginx: Traefik's kubernetesIngressNGINX provider (ingress-nginx itself needs
# an nginx with Lua modules that Debian lacks). v3.7 does not build from the proxy (a nested module
# is refused); v3.6.15 needs the replace and exclude lines of its go.mod (write_tool_wrapper_go_mod).
TRAEFIK_VERSION=v3.6.15
TRAEFIK_MODULE=github.com/traefik/traefik/v3
TRAEFIK_IMAGE=mkplat.invalid/traefik:$TRAEFIK_VERSION

NODE_PACKAGES=(containerd runc containernetworking-plugins iptables ipset conntrack)
CNI_BIN_DIR=/usr/lib/cni
# Chains that kube-proxy, the kubelet and the CNI plugins make; `down` removes them.
NODE_CHAIN_PATTERN='^(KUBE-|CNI-)'
NODE_IPSET_PATTERN='^(inet6:)?KUBE-' # a NetworkPolicy enforcer's
# The sysctls the kubelet (protectKernelDefaults: false), the bridge plugin and kube-proxy may set.
NODE_SYSCTLS=(vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops
  kernel.keys.root_maxkeys kernel.keys.root_maxbytes net.ipv4.ip_forward
  net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables
  net.ipv4.conf.all.route_localnet)

NODE_LOG_DIR=$CACHE_ROOT/real-node-logs # outside the node, so they survive `down`
NODE_IMAGE_DIR=$CACHE_ROOT/images       # OCI archives of the node's own images

# --- can this machine run a node? ----------------------------------------------

real_node_unsupported() { # prints why not, or nothing
  [[ $(uname -s) == Linux ]] || { echo "a real node needs Linux (found $(uname -s))"; return; }
  ((EUID == 0)) || { echo "a real node needs root (containerd, iptables, mounts, cgroups)"; return; }
  [[ -d /sys/fs/cgroup ]] || { echo "no /sys/fs/cgroup"; return; }
  command -v apt-get >/dev/null 2>&1 || [[ -x /usr/bin/containerd ]] ||
    echo "containerd is missing and there is no apt-get to install it"
}

require_real_node_host() {
  local why
  why=$(real_node_unsupported)
  [[ -z $why ]] || die "$why"
}

node_owner() { [[ -f $NODE_STATE/owner ]] && cat "$NODE_STATE/owner"; }
# A cluster is identified by its kwok dir: two checkouts with different MKPLAT_CACHE may use one name.
this_cluster_id() { printf '%s' "$CLUSTER_DIR"; }
node_is_ours() { [[ $(node_owner) == "$(this_cluster_id)" ]]; }

# --- packages ------------------------------------------------------------------

node_packages_missing() {
  local p missing=()
  for p in "${NODE_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]} == 0)) || printf '%s\n' "${missing[@]}"
}

ensure_node_packages() {
  local missing=()
  mapfile -t missing < <(node_packages_missing)
  ((${#missing[@]} == 0)) && return 0
  log "installing Debian packages: ${missing[*]} (apt-get update first)..."
  local start=$SECONDS
  apt-get update -q >>"$NODE_LOG_DIR/apt.log" 2>&1 || die "apt-get update failed; see $NODE_LOG_DIR/apt.log"
  # No service is started: without systemd running, the packages only put binaries in place, and
  # with it, their own containerd unit is left alone (this node runs containerd with its own config).
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" \
    >>"$NODE_LOG_DIR/apt.log" 2>&1 || die "apt-get install ${missing[*]} failed; see $NODE_LOG_DIR/apt.log"
  log "packages installed ($((SECONDS - start))s)"
  # iptables-nft only: the legacy backend would make a second, conflicting set of tables.
  [[ $(iptables -V) == *nf_tables* ]] ||
    die "iptables is not the nf_tables variant ($(iptables -V)); run: update-alternatives --set iptables /usr/sbin/iptables-nft"
}

# --- binaries ------------------------------------------------------------------

NODE_KUBE_BINARIES=(kubelet kube-proxy)

node_binaries_built() {
  stamp_ok node "$K8S_VERSION" && stamp_ok coredns "$COREDNS_VERSION" &&
    stamp_ok kube-router "$KUBE_ROUTER_VERSION" && stamp_ok traefik "$TRAEFIK_VERSION" &&
    stamp_ok pause "$PAUSE_IMAGE" && [[ -f $BIN_DIR/.busybox.version ]]
}

# kubelet and kube-proxy from the control plane's wrapper module, with the same version stamps:
# most packages are already in Go's build cache then (about 1 min).
build_node_kube() {
  local wrapper=$VERSION_DIR/src/kubernetes pkgs=() b
  log "building ${NODE_KUBE_BINARIES[*]} $K8S_VERSION... (first time only, ~1 min after the control plane)"
  [[ -f $wrapper/go.mod ]] || { mkdir -p "$wrapper"; write_kube_wrapper_go_mod "$wrapper"; }
  for b in "${NODE_KUBE_BINARIES[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$b"); done
  new_tmp_dir
  (cd "$wrapper" && go_env go build -mod=mod -trimpath \
    -ldflags="-s -w$(kube_version_ldflags)" -o "$TMP_DIR/" "${pkgs[@]}")
  install_group node "$K8S_VERSION" "$TMP_DIR" "${NODE_KUBE_BINARIES[@]}"
}

# A wrapper module that requires MODULE@VERSION and copies the replace and exclude directives of
# MODULE's own go.mod (a consumer ignores them, and some modules build only with them).
write_tool_wrapper_go_mod() { # dir module version
  local dir=$1 module=$2 version=$3 gomod
  gomod=$(go mod download -json "$module@$version" |
    sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')
  [[ -n $gomod && -f $gomod ]] || die "could not download $module@$version"
  {
    echo "// Generated by scripts/test-cluster from $module@$version's go.mod."
    echo "module mkplat.invalid/test-cluster/$(basename "$dir")"
    echo
    grep -E '^(go|godebug) ' "$gomod"
    echo
    echo "require $module $version"
    echo
    # single-line and block forms; local-path replaces (=> ./x) are the module's own repo, skipped
    awk '/^(replace|exclude) \($/ {blk=$1; print; next}
         blk && /^\)$/ {print; blk=""; next}
         blk {if (!(blk == "replace" && $0 ~ /=> *\.\.?\//)) print; next}
         /^(replace|exclude) / && !/=> *\.\.?\// {print}' "$gomod"
  } >"$dir/go.mod"
}

build_go_tool() { # group version module package binary [extra ldflags]
  local group=$1 version=$2 module=$3 package=$4 binary=$5 ldflags=${6:-}
  local wrapper=$VERSION_DIR/src/$group start=$SECONDS
  log "building $binary $version from $module... (first time only)"
  rm -rf "$wrapper"
  mkdir -p "$wrapper"
  write_tool_wrapper_go_mod "$wrapper" "$module" "$version"
  new_tmp_dir
  (cd "$wrapper" && go_env go build -mod=mod -trimpath -ldflags="-s -w $ldflags" \
    -o "$TMP_DIR/$binary" "$package")
  install_group "$group" "$version" "$TMP_DIR" "$binary"
  log "$binary built ($((SECONDS - start))s)"
}

build_coredns() {
  build_go_tool coredns "$COREDNS_VERSION" github.com/coredns/coredns github.com/coredns/coredns coredns
}

# Its version variables are stamped as its own release build does (without them it says "dev").
build_kube_router() {
  build_go_tool kube-router "$KUBE_ROUTER_VERSION" "$KUBE_ROUTER_MODULE" "$KUBE_ROUTER_MODULE/cmd/kube-router" \
    kube-router "-X $KUBE_ROUTER_MODULE/pkg/version.Version=$KUBE_ROUTER_VERSION"
}

# The biggest build (about 6 min on an idle machine with warm caches, 3.2 GB of memory at its peak).
build_traefik() {
  build_go_tool traefik "$TRAEFIK_VERSION" "$TRAEFIK_MODULE" "$TRAEFIK_MODULE/cmd/traefik" \
    traefik "-X $TRAEFIK_MODULE/pkg/version.Version=$TRAEFIK_VERSION"
}

# The sandbox ("pause") container: Kubernetes' own pause.c from the kubernetes module, compiled
# statically with the machine's C compiler (gcc, libc6-dev).
build_pause() {
  local src
  src=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')/build/pause/linux/pause.c
  [[ -f $src ]] || die "no pause.c at $src"
  command -v gcc >/dev/null 2>&1 || die "gcc is needed to build the pause container (apt-get install gcc libc6-dev)"
  new_tmp_dir
  mkdir -p "$TMP_DIR/rootfs"
  gcc -Os -Wall -static -DVERSION="${PAUSE_IMAGE##*:}" -o "$TMP_DIR/rootfs/pause" "$src"
  strip "$TMP_DIR/rootfs/pause"
  make_oci_archive "$PAUSE_IMAGE" "$TMP_DIR/rootfs" "$TMP_DIR/pause.tar" /pause
  install_group pause "$PAUSE_IMAGE" "$TMP_DIR" pause.tar
}

# A small image with a shell, nc and nslookup for tests that need a client pod: BusyBox from
# Debian's busybox-static (a static binary), fetched with apt-get download, not installed.
BUSYBOX_IMAGE_REPO=mkplat.invalid/busybox

busybox_package_version() { apt-cache policy busybox-static 2>/dev/null | awk '/Candidate:/ {print $2}'; }

build_busybox_image() {
  local version
  version=$(busybox_package_version)
  [[ -n $version && $version != "(none)" ]] || die "no busybox-static package known to apt (run apt-get update)"
  new_tmp_dir
  (cd "$TMP_DIR" && apt-get download -q "busybox-static=$version" >/dev/null 2>&1) ||
    die "apt-get download busybox-static=$version failed"
  dpkg -x "$TMP_DIR"/busybox-static_*.deb "$TMP_DIR/deb"
  mkdir -p "$TMP_DIR/rootfs/bin" "$TMP_DIR/rootfs/tmp"
  chmod 1777 "$TMP_DIR/rootfs/tmp"
  install -m 0755 "$TMP_DIR/deb/bin/busybox" "$TMP_DIR/rootfs/bin/busybox"
  "$TMP_DIR/rootfs/bin/busybox" --list | while read -r applet; do
    [[ $applet == busybox ]] || ln -s busybox "$TMP_DIR/rootfs/bin/$applet"
  done
  local tag=${version#*:}
  tag=${tag%%-*}
  make_oci_archive "$BUSYBOX_IMAGE_REPO:$tag" "$TMP_DIR/rootfs" "$TMP_DIR/busybox.tar" /bin/sh
  install_group busybox "$version" "$TMP_DIR" busybox.tar
}

ensure_node_binaries() {
  node_binaries_built && return 0
  require_go
  local start=$SECONDS
  if ! stamp_ok node "$K8S_VERSION"; then build_node_kube; fi
  if ! stamp_ok pause "$PAUSE_IMAGE"; then build_pause; fi
  if [[ ! -f $BIN_DIR/.busybox.version ]]; then build_busybox_image; fi
  if ! stamp_ok coredns "$COREDNS_VERSION"; then build_coredns; fi
  if ! stamp_ok kube-router "$KUBE_ROUTER_VERSION"; then build_kube_router; fi
  if ! stamp_ok traefik "$TRAEFIK_VERSION"; then build_traefik; fi
  log "node binaries ready in $BIN_DIR (built in $((SECONDS - start))s)"
}

# --- images --------------------------------------------------------------------

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }
size_of() { stat -c %s "$1"; }

# An OCI image archive (one uncompressed layer) of ROOTFS, named REF, that `ctr images import`
# takes. Deterministic: the same files give the same digest.
make_oci_archive() { # ref rootfs out.tar entrypoint...
  local ref=$1 rootfs=$2 out=$3 layout
  shift 3
  layout=$(mktemp -d "$(dirname "$out")/oci.XXXXXX")
  mkdir -p "$layout/blobs/sha256"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$rootfs" -cf "$layout/layer.tar" .
  local layer_digest layer_size entrypoint="" e
  layer_digest=$(sha256_of "$layout/layer.tar")
  layer_size=$(size_of "$layout/layer.tar")
  mv "$layout/layer.tar" "$layout/blobs/sha256/$layer_digest"
  for e in "$@"; do entrypoint+="${entrypoint:+,}\"$e\""; done
  printf '{"architecture":"amd64","os":"linux","config":{"Entrypoint":[%s],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$entrypoint" "$layer_digest" >"$layout/config.json"
  local config_digest config_size
  config_digest=$(sha256_of "$layout/config.json")
  config_size=$(size_of "$layout/config.json")
  mv "$layout/config.json" "$layout/blobs/sha256/$config_digest"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
    "$config_digest" "$config_size" "$layer_digest" "$layer_size" >"$layout/manifest.json"
  local manifest_digest manifest_size
  manifest_digest=$(sha256_of "$layout/manifest.json")
  manifest_size=$(size_of "$layout/manifest.json")
  mv "$layout/manifest.json" "$layout/blobs/sha256/$manifest_digest"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
    "$manifest_digest" "$manifest_size" "$ref" "${ref##*:}" >"$layout/index.json"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$layout" -cf "$out" oci-layout index.json blobs
  rm -rf "$layout"
}

# An image of one static Go binary from BIN_DIR, as /BINARY, cached by the binary's version.
tool_image_archive() { # ref binary group -> prints the archive path
  local ref=$1 binary=$2 group=$3 out
  out=$NODE_IMAGE_DIR/$binary-$(<"$BIN_DIR/.$group.version").tar
  if [[ ! -f $out ]]; then
    mkdir -p "$NODE_IMAGE_DIR"
    local root
    root=$(mktemp -d "$NODE_IMAGE_DIR/rootfs.XXXXXX")
    install -m 0755 "$BIN_DIR/$binary" "$root/$binary"
    make_oci_archive "$ref" "$root" "$out.tmp" "/$binary"
    rm -rf "$root"
    mv -f "$out.tmp" "$out"
  fi
  printf '%s' "$out"
}

ctr_k8s() { ctr --address "$CONTAINERD_SOCKET" -n k8s.io "$@"; }

import_node_images() {
  ctr_k8s images import "$BIN_DIR/pause.tar" >/dev/null
  ctr_k8s images import "$BIN_DIR/busybox.tar" >/dev/null
  ctr_k8s images import "$(tool_image_archive mkplat.invalid/coredns:"$COREDNS_VERSION" coredns coredns)" >/dev/null
  ctr_k8s images import "$(tool_image_archive "$TRAEFIK_IMAGE" traefik traefik)" >/dev/null
}

# --- host state: snapshot at up, restore at down -----------------------------------

snapshot_host() {
  mkdir -p "$NODE_STATE"
  [[ -f $NODE_STATE/sysctl.before ]] && return 0 # kept from the first up: that is the host's
  local s
  for s in "${NODE_SYSCTLS[@]}"; do
    sysctl -n "$s" >/dev/null 2>&1 && printf '%s=%s\n' "$s" "$(sysctl -n "$s")"
  done >"$NODE_STATE/sysctl.before.tmp"
  [[ -d /var/log/containers ]] && touch "$NODE_STATE/had-var-log-containers"
  [[ -d /var/lib/kubelet ]] && touch "$NODE_STATE/had-var-lib-kubelet"
  mv "$NODE_STATE/sysctl.before.tmp" "$NODE_STATE/sysctl.before"
}

restore_sysctls() {
  [[ -f $NODE_STATE/sysctl.before ]] || return 0
  local line
  while IFS= read -r line; do
    sysctl -q -w "$line" >/dev/null 2>&1 || log "could not restore $line"
  done <"$NODE_STATE/sysctl.before"
}

# --- daemons -------------------------------------------------------------------

daemon_pid() { # name -> pid if it runs, as started by this script
  local pidfile=$NODE_RUN/$1.pid pid
  [[ -f $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
  # after a reboot the pid may be anybody's: it counts only if it runs our binary
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$NODE_STATE/etc/$1" || return 1
  printf '%s' "$pid"
}

# Starts NAME in the background, in its own session, with its output in the log dir. The lock's
# descriptor (9) is closed: the daemon must not hold the lock of scripts/test-cluster.
start_daemon() { # name command...
  local name=$1
  shift
  mkdir -p "$NODE_RUN" "$NODE_LOG_DIR"
  printf '\n== %s: %s\n' "$(date -u +%FT%TZ)" "$*" >>"$NODE_LOG_DIR/$name.log"
  setsid "$@" >>"$NODE_LOG_DIR/$name.log" 2>&1 </dev/null 9>&- &
  printf '%s' "$!" >"$NODE_RUN/$name.pid"
}

stop_daemon() { # name
  local pid
  pid=$(daemon_pid "$1") || { rm -f "$NODE_RUN/$1.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  retry 15 0.2 pid_gone "$pid" || kill -KILL "$pid" 2>/dev/null || true
  retry 5 0.2 pid_gone "$pid" || log "$1 (pid $pid) did not exit"
  rm -f "$NODE_RUN/$1.pid"
}

pid_gone() { [[ -z $(tr -d '\0' <"/proc/$1/cmdline" 2>/dev/null) ]]; }

# --- certificates ----------------------------------------------------------------

# A client certificate signed by the cluster's CA (made by kwokctl), for a kubeconfig.
issue_client_cert() { # name cn org
  local name=$1 cn=$2 org=$3 pki=$NODE_STATE/etc/pki
  mkdir -p "$pki"
  (umask 077 && openssl genrsa -out "$pki/$name.key" 2048 2>/dev/null)
  openssl req -new -key "$pki/$name.key" -subj "/O=$org/CN=$cn" -out "$pki/$name.csr" 2>/dev/null
  openssl x509 -req -in "$pki/$name.csr" -CA "$CLUSTER_DIR/pki/ca.crt" -CAkey "$CLUSTER_DIR/pki/ca.key" \
    -CAcreateserial -CAserial "$pki/ca.srl" -days 30 -out "$pki/$name.crt" 2>/dev/null
  rm -f "$pki/$name.csr"
}

write_node_kubeconfig() { # name
  local name=$1 pki=$NODE_STATE/etc/pki server
  server=$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')
  (umask 077 && cat >"$NODE_STATE/etc/$name.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: mkplat
  cluster:
    server: $server
    certificate-authority: $CLUSTER_DIR/pki/ca.crt
users:
- name: $name
  user:
    client-certificate: $pki/$name.crt
    client-key: $pki/$name.key
contexts:
- name: $name
  context: {cluster: mkplat, user: $name}
current-context: $name
EOF
  )
}

# --- configuration -----------------------------------------------------------------

node_ip() { # the address of the interface of the default route: pods reach the API server there
  ip -4 -o route get 192.0.2.255 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p' | head -n1
}

# The memory beyond minikube's: capacity (MemTotal) - systemReserved - eviction threshold is
# NODE_MEMORY_MIB, from which kubeReserved is then taken as on minikube.
reserved_memory_ki() {
  local total_ki
  total_ki=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
  echo $((total_ki - (NODE_MEMORY_MIB + EVICTION_MEMORY_MIB) * 1024))
}

# CPUs above NODE_CPUS are reserved too (whole cores): on a bigger machine the node still looks
# like minikube's.
reserved_cpu() {
  local cpus
  cpus=$(nproc)
  ((cpus > NODE_CPUS)) && echo $((cpus - NODE_CPUS)) || echo 0
}

write_containerd_config() {
  mkdir -p "$NODE_STATE/etc" "$NODE_STATE/cni/net.d" "$NODE_STATE/containerd/certs.d"
  write_registry_mirrors
  cat >"$NODE_STATE/etc/containerd.toml" <<EOF
# Written by scripts/test-cluster: containerd for the test cluster's real node.
version = 2
root = "$NODE_STATE/containerd/root"
state = "$NODE_RUN/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

[grpc]
  address = "$CONTAINERD_SOCKET"

[plugins."io.containerd.internal.v1.opt"]
  path = "$NODE_STATE/containerd/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # The VM lacks CAP_SYS_RESOURCE: the sandbox's oom_score_adj of -998 would fail every pod.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN_DIR"
    conf_dir = "$NODE_STATE/cni/net.d"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$NODE_STATE/containerd/certs.d"
EOF
}

# docker.io (the stand-ins' names) and the project's registry resolve to the local registry of
# scripts/registry, plain http on the loopback interface: the node pulls nothing from the internet.
write_registry_mirrors() {
  local registry=${MKPLAT_REGISTRY:-127.0.0.1:${MKPLAT_REGISTRY_PORT:-5001}} host
  for host in docker.io "$registry" "localhost:${registry##*:}"; do
    mkdir -p "$NODE_STATE/containerd/certs.d/$host"
    cat >"$NODE_STATE/containerd/certs.d/$host/hosts.toml" <<EOF
# Written by scripts/test-cluster: $host is served by the local registry.
server = "http://$registry"

[host."http://$registry"]
  capabilities = ["pull", "resolve"]
  skip_verify = true
EOF
  done
}

write_cni_config() { # pod subnet of this node
  cat >"$NODE_STATE/cni/net.d/10-mkplat.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "mkplat",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$NODE_STATE/cni/networks",
        "ranges": [[{"subnet": "$1"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
}

write_kubelet_config() {
  cat >"$NODE_STATE/etc/kubelet.yaml" <<EOF
# Written by scripts/test-cluster: the kubelet of the test cluster's real node.
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# This machine has cgroup v1 (hybrid), which 1.35 refuses unless told.
failCgroupV1: false
cgroupDriver: cgroupfs
failSwapOn: false
# No CAP_SYS_RESOURCE in the VM: the default -999 cannot be set.
oomScoreAdj: 0
containerRuntimeEndpoint: unix://$CONTAINERD_SOCKET
podLogsDir: $NODE_STATE/pod-logs
staticPodPath: ""
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $CLUSTER_DIR/pki/ca.crt}
authorization: {mode: Webhook}
clusterDNS: [$DNS_SERVICE_IP]
clusterDomain: $CLUSTER_DOMAIN
# No host resolver for pods: names outside the cluster are not theirs to look up.
resolvConf: ""
healthzBindAddress: 127.0.0.1
# The node of a default minikube ($NODE_CPUS CPUs, $NODE_MEMORY_MIB MiB): the machine's surplus is
# systemReserved; kubeReserved stands for the requests of minikube's control-plane pods.
systemReserved:
  cpu: "$(reserved_cpu)"
  memory: $(reserved_memory_ki)Ki
kubeReserved:
  cpu: $KUBE_RESERVED_CPU
  memory: ${KUBE_RESERVED_MEMORY_MIB}Mi
evictionHard:
  memory.available: ${EVICTION_MEMORY_MIB}Mi
  nodefs.available: 5%
  imagefs.available: 5%
# The images imported at up are not pulled again: never collect them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
maxPods: 110
EOF
}

write_kube_proxy_config() {
  cat >"$NODE_STATE/etc/kube-proxy.yaml" <<EOF
# Written by scripts/test-cluster: kube-proxy of the test cluster's real node.
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables # no IPVS in this kernel
hostnameOverride: $NODE_NAME
clusterCIDR: $CLUSTER_CIDR
clientConnection:
  kubeconfig: $NODE_STATE/etc/kube-proxy.kubeconfig
oomScoreAdj: 0
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# 0: leave the host's conntrack sysctls alone.
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
iptables:
  localhostNodePorts: false # would set route_localnet
EOF
}

# --- up --------------------------------------------------------------------------

containerd_ready() { ctr --address "$CONTAINERD_SOCKET" version >/dev/null 2>&1; }

start_containerd() {
  daemon_pid containerd >/dev/null && return 0
  [[ -S $CONTAINERD_SOCKET ]] && containerd_ready &&
    die "another containerd already listens on $CONTAINERD_SOCKET; stop it first (this node runs its own)"
  write_containerd_config
  start_daemon containerd /usr/bin/containerd --config "$NODE_STATE/etc/containerd.toml"
  retry 30 0.5 containerd_ready || die "containerd did not start; log: $NODE_LOG_DIR/containerd.log"
}

node_registered() { kubectl get node "$NODE_NAME" >/dev/null 2>&1; }
node_ready() {
  [[ $(kubectl get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null) == True ]]
}
node_pod_cidr() { kubectl get node "$NODE_NAME" -o jsonpath='{.spec.podCIDR}' 2>/dev/null; }
node_has_pod_cidr() { [[ -n $(node_pod_cidr) ]]; }

start_kubelet() {
  daemon_pid kubelet >/dev/null && return 0
  issue_client_cert kubelet "system:node:$NODE_NAME" system:nodes
  write_node_kubeconfig kubelet
  write_kubelet_config
  mkdir -p "$NODE_STATE/kubelet" "$NODE_STATE/pod-logs"
  start_daemon kubelet "$BIN_DIR/kubelet" --config "$NODE_STATE/etc/kubelet.yaml" \
    --kubeconfig "$NODE_STATE/etc/kubelet.kubeconfig" --root-dir "$NODE_STATE/kubelet" \
    --cert-dir "$NODE_STATE/kubelet/pki" \
    --node-ip "$(node_ip)" --node-labels mkplat.io/test-cluster-node=real
}

start_kube_proxy() {
  daemon_pid kube-proxy >/dev/null && return 0
  issue_client_cert kube-proxy system:kube-proxy system:node-proxier
  write_node_kubeconfig kube-proxy
  write_kube_proxy_config
  start_daemon kube-proxy "$BIN_DIR/kube-proxy" --config "$NODE_STATE/etc/kube-proxy.yaml"
}

# NetworkPolicies: kube-router v2 in firewall-only mode (no routing, no service proxy: the bridge
# and kube-proxy do those), a host process like kube-proxy, with a client certificate whose user
# has the read-only role of scripts/test-cluster.d/node/kube-router.yaml. It programs KUBE-ROUTER-*,
# KUBE-POD-FW-* and KUBE-NWPLCY-* chains (hooked from INPUT, FORWARD and OUTPUT) and KUBE-SRC-*/
# KUBE-DST-* ipsets; its --cleanup-config panics here (it tries IPVS first), so down_real_node
# deletes them itself. Health and metrics ports off: nothing else should listen on the machine.
start_kube_router() {
  daemon_pid kube-router >/dev/null && return 0
  issue_client_cert kube-router mkplat:kube-router mkplat:node
  write_node_kubeconfig kube-router
  start_daemon kube-router "$BIN_DIR/kube-router" --kubeconfig "$NODE_STATE/etc/kube-router.kubeconfig" \
    --run-firewall=true --run-router=false --run-service-proxy=false \
    --hostname-override="$NODE_NAME" --service-cluster-ip-range="$SERVICE_CIDR" \
    --health-port=0 --metrics-port=0
}

# It hooks its chains into FORWARD after its first full sync.
kube_router_synced() {
  daemon_pid kube-router >/dev/null && iptables -w -S FORWARD 2>/dev/null | grep -q -- '-j KUBE-ROUTER-FORWARD'
}

# CoreDNS runs as a pod, from an image made here and imported into containerd.
apply_node_addons() {
  kubectl apply --server-side --field-manager=test-cluster --force-conflicts \
    -f "$MANIFEST_DIR/node/kube-router.yaml" >/dev/null
  sed -e "s#@CLUSTER_DOMAIN@#$CLUSTER_DOMAIN#g" -e "s#@DNS_SERVICE_IP@#$DNS_SERVICE_IP#g" \
    -e "s#@COREDNS_IMAGE@#mkplat.invalid/coredns:$COREDNS_VERSION#g" "$MANIFEST_DIR/node/coredns.yaml" |
    kubectl apply --server-side --field-manager=test-cluster --force-conflicts -f - >/dev/null
  sed -e "s#@NODE_IP@#$(node_ip)#g" -e "s#@TRAEFIK_IMAGE@#$TRAEFIK_IMAGE#g" "$MANIFEST_DIR/node/ingress-nginx.yaml" |
    kubectl apply --server-side --field-manager=test-cluster --force-conflicts -f - >/dev/null
}

wait_for_node_addons() {
  kubectl -n kube-system rollout status deployment/coredns --timeout=180s >/dev/null ||
    die "CoreDNS did not become ready: kubectl -n kube-system describe pod -l k8s-app=kube-dns"
  kubectl -n ingress-nginx rollout status deployment/ingress-nginx-controller --timeout=180s >/dev/null ||
    die "the ingress controller did not become ready: kubectl -n ingress-nginx describe pod"
}

up_real_node() {
  local start=$SECONDS
  if ! node_is_ours && [[ -n $(node_owner) ]]; then
    die "this machine's real node belongs to another test cluster ($(node_owner)); take that one down first"
  fi
  mkdir -p "$NODE_STATE" "$NODE_RUN" "$NODE_LOG_DIR"
  this_cluster_id >"$NODE_STATE/owner"
  snapshot_host
  # The node's containerd mirrors docker.io to the local registry (write_registry_mirrors): it
  # must run, and hold the stand-ins of the platform's public images, before any pod pulls.
  if [[ -z ${MKPLAT_REGISTRY:-} ]]; then "$SCRIPT_DIR/registry" start; fi
  "$SCRIPT_DIR/images" push-standins "${MKPLAT_REGISTRY:-127.0.0.1:${MKPLAT_REGISTRY_PORT:-5001}}" >/dev/null
  start_containerd
  import_node_images
  start_kubelet
  retry 60 1 node_registered || die "the kubelet did not register node $NODE_NAME; log: $NODE_LOG_DIR/kubelet.log"
  local cidr
  retry 30 1 node_has_pod_cidr || die "node $NODE_NAME got no pod CIDR (kube-controller-manager)"
  cidr=$(node_pod_cidr)
  write_cni_config "$cidr"
  start_kube_proxy
  retry 120 1 node_ready || die "node $NODE_NAME did not become Ready; log: $NODE_LOG_DIR/kubelet.log"
  log "real node $NODE_NAME Ready, pods in $cidr ($((SECONDS - start))s); starting CoreDNS, kube-router and the ingress controller..."
  apply_node_addons
  start_kube_router
  wait_for_node_addons
  retry 60 1 kube_router_synced || die "kube-router did not program its chains; log: $NODE_LOG_DIR/kube-router.log"
  log "real node $NODE_NAME up: DNS $DNS_SERVICE_IP, NetworkPolicies enforced, ingress class nginx on $(node_ip):80 and :443 ($((SECONDS - start))s)"
}

status_real_node() {
  local d rc=0 state
  for d in containerd kubelet kube-proxy kube-router; do
    if daemon_pid "$d" >/dev/null; then state+=" $d"; else state+=" $d(stopped)"; rc=1; fi
  done
  echo "real node: $NODE_NAME,$state; logs in $NODE_LOG_DIR"
  echo "policies: NetworkPolicies enforced by kube-router $KUBE_ROUTER_VERSION (firewall only)"
  local ready
  ready=$(kubectl -n ingress-nginx get deployment ingress-nginx-controller -o jsonpath='{.status.readyReplicas}' 2>/dev/null || true)
  echo "ingress:  class nginx by Traefik $TRAEFIK_VERSION, ingress-nginx/ingress-nginx-controller ${ready:-0}/1 ready, on $(node_ip):80 and :443"
  [[ ${ready:-0} -ge 1 ]] || rc=1
  return "$rc"
}

# --- down ------------------------------------------------------------------------

# Rules that jump to a chain matched by PATTERN, as `-D` commands, then the chains themselves.
# Only these chains are flushed and deleted: the tables and everybody else's rules stay.
delete_chains() { # pattern
  local pattern=$1 cmd table chain rule
  for cmd in iptables ip6tables; do
    command -v "$cmd" >/dev/null 2>&1 || continue
    for table in filter nat mangle raw; do
      local chains=()
      mapfile -t chains < <("$cmd" -w -t "$table" -S 2>/dev/null | awk '$1 == "-N" {print $2}' | grep -E "$pattern" || true)
      ((${#chains[@]} == 0)) && continue
      # jumps into our chains from chains that are not ours (INPUT, FORWARD, ...)
      while IFS= read -r rule; do
        eval "$cmd -w -t $table -D ${rule#-A }" 2>/dev/null || true
      done < <("$cmd" -w -t "$table" -S 2>/dev/null | awk '$1 == "-A"' | grep -E -- "-j ($(IFS='|'; echo "${chains[*]}"))( |$)" |
        awk -v p="$pattern" '{ split($0, a, " "); if (a[2] !~ p) print }')
      for chain in "${chains[@]}"; do "$cmd" -w -t "$table" -F "$chain" 2>/dev/null || true; done
      for chain in "${chains[@]}"; do "$cmd" -w -t "$table" -X "$chain" 2>/dev/null || true; done
    done
  done
}

delete_ipsets() {
  command -v ipset >/dev/null 2>&1 || return 0
  local set
  for set in $(ipset list -n 2>/dev/null | grep -E "$NODE_IPSET_PATTERN" || true); do
    ipset destroy "$set" 2>/dev/null || log "could not destroy ipset $set"
  done
}

# Every process in the pods' cgroups (the containers), then the containerd shims of our socket.
kill_pod_processes() {
  local procs pid
  procs=$(find /sys/fs/cgroup/*/kubepods -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u || true)
  for pid in $procs; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in $(pgrep -f "containerd-shim-runc-v2 -namespace k8s.io .*-address $CONTAINERD_SOCKET" || true); do
    kill -KILL "$pid" 2>/dev/null || true
  done
}

# Pod cgroups, deepest first; each is empty once its processes are gone.
remove_pod_cgroups() {
  local dir
  find /sys/fs/cgroup/*/kubepods -depth -type d -exec rmdir {} + 2>/dev/null || true
  dir=$(find /sys/fs/cgroup/*/kubepods -maxdepth 0 -type d 2>/dev/null | head -n1 || true)
  [[ -z $dir ]] || log "cgroup $dir could not be removed (a process is still in it)"
}

unmount_under() { # dir...
  local d m
  for d in "$@"; do
    # deepest first
    for m in $(findmnt -rn -o TARGET | grep -E "^$d(/|$)" | sort -r); do
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "could not unmount $m"
    done
  done
}

remove_pod_netns() {
  local ns
  for ns in /run/netns/cni-*; do
    [[ -e $ns ]] || continue
    umount "$ns" 2>/dev/null || umount -l "$ns" 2>/dev/null || true
    rm -f "$ns"
  done
  rmdir /run/netns 2>/dev/null || true
}

remove_container_log_links() {
  local link
  [[ -d /var/log/containers ]] || return 0
  for link in /var/log/containers/*; do
    [[ -L $link && $(readlink "$link") == "$NODE_STATE"/* ]] && rm -f "$link"
  done
  [[ -f $NODE_STATE/had-var-log-containers ]] || rmdir /var/log/containers 2>/dev/null || true
}

# The device manager's socket directory is fixed (/var/lib/kubelet/device-plugins), whatever the
# root dir: removed with its parent when the machine had no /var/lib/kubelet before.
remove_kubelet_fixed_dirs() {
  rm -rf /var/lib/kubelet/device-plugins
  [[ -f $NODE_STATE/had-var-lib-kubelet ]] || rmdir /var/lib/kubelet 2>/dev/null || true
}

down_real_node() {
  [[ -d $NODE_STATE || -d $NODE_RUN ]] || return 0
  log "removing the real node $NODE_NAME..."
  # kube-router first: it would put back the chains and ipsets that are removed below.
  stop_daemon kube-router
  stop_daemon kube-proxy
  if [[ -x $BIN_DIR/kube-proxy ]]; then
    "$BIN_DIR/kube-proxy" --cleanup --proxy-mode=iptables >>"$NODE_LOG_DIR/kube-proxy.log" 2>&1 || true
  fi
  stop_daemon kubelet
  kill_pod_processes
  stop_daemon containerd
  kill_pod_processes
  remove_pod_netns
  unmount_under "$NODE_STATE" "$NODE_RUN" /run/containerd
  remove_pod_cgroups
  ip link delete "$BRIDGE" 2>/dev/null || true
  delete_chains "$NODE_CHAIN_PATTERN"
  delete_ipsets
  remove_container_log_links
  remove_kubelet_fixed_dirs
  restore_sysctls
  rm -rf /run/containerd "$NODE_RUN" "$NODE_STATE" "$REAL_NODE_VOLUMES"
  log "real node removed"
}
