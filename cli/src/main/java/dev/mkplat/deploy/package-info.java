/**
 * The platform operations the commands call, each a pipeline after kapp's deploy: read → render →
 * diff → apply → wait → report. {@link dev.mkplat.deploy.PlatformDeploy} applies the rendered bundle
 * in stages and prunes what left it; {@link dev.mkplat.deploy.PlatformDiff} previews it; {@link
 * dev.mkplat.deploy.PlatformStatus} reads it back; {@link dev.mkplat.deploy.PlatformDestroy} removes it.
 * They talk to the cluster only through {@link dev.mkplat.kube}.
 */
package dev.mkplat.deploy;
