/**
 * Pure rendering: the bundled manifests (module {@code mkplat-manifests}, on the classpath under
 * {@code mkplat/manifests/}) plus a {@link dev.mkplat.config.PlatformConfig} give the list of
 * objects to apply, with no cluster in sight. {@code deploy --dry-run} prints exactly that list,
 * and golden files in the tests pin it down.
 */
package dev.mkplat.render;
