/**
 * The Secrets mkplat makes at deploy time, from the manifests' specification ({@code secrets.yaml}):
 * random passwords generated once with {@link java.security.SecureRandom} and then kept (never
 * rotated silently: a Secret that exists is left as it is), and Secrets derived from files (the
 * platform certificate, the GCS key) that follow their files. Values are never printed; {@code
 * deploy --dry-run} shows them redacted.
 */
package dev.mkplat.secrets;
