package dev.mkplat.images;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * Google's in-memory {@link Storage} (google-cloud-nio's LocalStorageHelper), shared by every
 * client made here in one JVM, so that a second service instance sees the first one's images.
 * It does not page listings (it ignores page tokens and never returns one), so paging through
 * {@code GET /images} is tested against fake-gcs-server in {@code ImagesEmulatorIT}.
 *
 * <p>Its fake RPC throws UnsupportedOperationException for any upload precondition, and the
 * service uploads with {@code doesNotExist()} (ifGenerationMatch=0, which makes the upload
 * idempotent and so retryable). The wrapper drops that one option on its way in: a workaround for
 * the fake, not a change to what the service sends. The wire-level test against fake-gcs-server
 * keeps the precondition.
 */
final class InMemoryStorage {
    private InMemoryStorage() {}

    // getOptions() empties the JVM-wide fake each time it is called, so it is called once: every
    // client made from these options shares the same objects, like clients of one real bucket.
    private static final StorageOptions OPTIONS = LocalStorageHelper.getOptions();

    /** A new client on the shared in-memory objects. */
    static Storage create() {
        Storage fake = OPTIONS.toBuilder().build().getService();
        return (Storage) Proxy.newProxyInstance(
                Storage.class.getClassLoader(), new Class<?>[] {Storage.class}, (proxy, method, args) -> {
                    Object[] actual = args;
                    if (method.getName().equals("create")
                            && args != null
                            && args[args.length - 1] instanceof BlobTargetOption[]) {
                        actual = args.clone();
                        actual[args.length - 1] = new BlobTargetOption[0];
                    }
                    try {
                        return method.invoke(fake, actual);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
