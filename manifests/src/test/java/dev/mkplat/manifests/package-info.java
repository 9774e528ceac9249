/**
 * Tests of the bundled manifests: they parse strictly with two independent models, every pod
 * template meets Pod Security "restricted", the objects agree with each other and with the
 * services' contract, and the NetworkPolicies allow exactly the intended flows. Nothing here is
 * product code; {@link dev.mkplat.manifests.NetworkPolicyEvaluator} included.
 */
package dev.mkplat.manifests;
