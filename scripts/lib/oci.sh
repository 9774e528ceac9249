# shellcheck shell=bash
# Sourced by scripts/base-image and scripts/images: packs a root filesystem as an image archive.
#
# An image is a root filesystem in one layer plus a config. The archive holds both layouts a tool
# may look for, around the same blobs: the OCI image layout (oci-layout, index.json; containerd's
# `ctr import`, skopeo) and the `docker save` manifest.json (Jib's `tar://` base images, crane,
# `docker load`, `minikube image load`, `kind load image-archive`).
#
# Reproducible: owners are numeric and kept as they are on disk (the caller chowns what must not be
# root's), times are the epoch, entries sorted, gzip without name or time, and the config has no
# creation date. The same root filesystem and config give the same digest on any machine.

# oci_sha256 FILE: prints the hex SHA-256 of FILE.
oci_sha256() { sha256sum "$1" | cut -d' ' -f1; }

# oci_pack ROOTFS OUT REF CONFIG_JSON
#   ROOTFS       directory to pack as the image's only layer
#   OUT          the archive to write (written to OUT.tmp, then renamed)
#   REF          the image name it carries, e.g. docker.io/library/redis:7.4.6-alpine
#   CONFIG_JSON  the "config" object of the image config (User, Env, Entrypoint, Cmd, WorkingDir,
#                ExposedPorts, Labels), as JSON
# Prints the manifest digest (sha256:...) on stdout.
oci_pack() {
  local rootfs=$1 out=$2 ref=$3 config_json=$4
  local work diff_id layer_digest layer_size config_digest config_size manifest_digest manifest_size tag
  work=$(mktemp -d "${out%/*}/.oci-pack.XXXXXX")
  mkdir -p "$work/blobs/sha256"

  # GNU tar's --sort/--mtime/pax options make the stream depend on the tree's content only.
  tar --sort=name --mtime=@0 --numeric-owner --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    -C "$rootfs" -cf "$work/layer.tar" .
  diff_id=$(oci_sha256 "$work/layer.tar")
  gzip -n -6 "$work/layer.tar"
  layer_digest=$(oci_sha256 "$work/layer.tar.gz")
  layer_size=$(stat -c %s "$work/layer.tar.gz")
  mv "$work/layer.tar.gz" "$work/blobs/sha256/$layer_digest"

  jq -cn --argjson config "$config_json" --arg diff "sha256:$diff_id" '{
      architecture: "amd64", os: "linux", config: $config,
      rootfs: {type: "layers", diff_ids: [$diff]},
      history: [{created_by: "mkplat scripts (a root filesystem in one layer)"}]
    }' >"$work/config.json"
  config_digest=$(oci_sha256 "$work/config.json")
  config_size=$(stat -c %s "$work/config.json")
  mv "$work/config.json" "$work/blobs/sha256/$config_digest"

  jq -cn --arg cd "sha256:$config_digest" --argjson cs "$config_size" \
    --arg ld "sha256:$layer_digest" --argjson ls "$layer_size" '{
      schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $cd, size: $cs},
      layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $ld, size: $ls}]
    }' >"$work/manifest"
  manifest_digest=$(oci_sha256 "$work/manifest")
  manifest_size=$(stat -c %s "$work/manifest")
  mv "$work/manifest" "$work/blobs/sha256/$manifest_digest"

  tag=${ref##*:}
  jq -cn --arg md "sha256:$manifest_digest" --argjson ms "$manifest_size" --arg ref "$ref" --arg tag "$tag" '{
      schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $md, size: $ms,
                   annotations: {"io.containerd.image.name": $ref, "org.opencontainers.image.ref.name": $tag}}]
    }' >"$work/index.json"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$work/oci-layout"
  jq -cn --arg c "blobs/sha256/$config_digest" --arg l "blobs/sha256/$layer_digest" --arg ref "$ref" \
    '[{Config: $c, RepoTags: [$ref], Layers: [$l]}]' >"$work/manifest.json"

  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    -C "$work" -cf "$out.tmp" oci-layout index.json manifest.json blobs
  rm -rf "$work"
  mv -f "$out.tmp" "$out"
  printf 'sha256:%s\n' "$manifest_digest"
}
