/**
 * Test support for the {@code *IT} tests that need a real Kubernetes API: {@link
 * dev.mkplat.testing.TestCluster} gives a test a fabric8 client for the cluster named by
 * {@code MKPLAT_TEST_KUBECONFIG} (see {@code scripts/test-cluster}), fresh namespaces, and removes
 * what the test made. Without a cluster these tests are skipped with the reason, except under
 * {@code CI=true}, where they fail, so a CI run can never go green by skipping them.
 */
package dev.mkplat.testing;
