package dev.mkplat.images.storage;

import com.google.api.gax.paging.Page;
import com.google.cloud.BaseServiceException;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobField;
import com.google.cloud.storage.Storage.BlobGetOption;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import dev.mkplat.images.upload.ImageUpload;
import dev.mkplat.service.health.DependencyCheck;
import dev.mkplat.service.http.ApiException;
import dev.mkplat.service.http.DependencyUnavailableException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The images in one bucket. Each is the object {@code images/<owner>/<id>}, with the sniffed
 * content type as its Content-Type and the owner in its metadata. Keeping the owner in the name
 * makes "my images" a prefix listing that GCS pages for us, and makes another user's image simply
 * not exist for a caller.
 *
 * <p>Against an emulator the bucket is created at start, in the background and retried until the
 * emulator answers (like the database migrations of the other services): the service starts and
 * stays unready meanwhile instead of crash-looping. Against real GCS the bucket must exist.
 */
public final class ImageStore implements AutoCloseable {
    static final String PREFIX = "images/";

    private static final Logger LOG = LoggerFactory.getLogger(ImageStore.class);
    private static final Duration BUCKET_RETRY = Duration.ofSeconds(1);
    // The owner becomes part of an object name: only names that cannot escape their prefix.
    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final String OWNER_METADATA = "owner";
    private static final int READ_CHUNK_BYTES = 256 * 1024;
    private static final BlobField[] IMAGE_FIELDS = {
        BlobField.NAME, BlobField.CONTENT_TYPE, BlobField.SIZE, BlobField.TIME_CREATED, BlobField.GENERATION
    };

    private final Storage storage;
    private final String bucket;
    private final Thread bucketCreator;
    private volatile boolean bucketReady;
    private volatile String pendingReason;
    private volatile boolean closed;

    private ImageStore(Storage storage, String bucket, boolean createBucket) {
        this.storage = storage;
        this.bucket = bucket;
        this.bucketReady = !createBucket;
        this.pendingReason = "bucket " + bucket + " not created yet";
        this.bucketCreator = createBucket
                ? Thread.ofVirtual().name("gcs-create-bucket").unstarted(this::createBucketUntilDone)
                : null;
    }

    /**
     * The store of {@code bucket}. With {@code createBucket} (emulators) the bucket is created in
     * the background; the store answers 503 until it exists. Returns at once.
     */
    public static ImageStore open(Storage storage, String bucket, boolean createBucket) {
        ImageStore store = new ImageStore(storage, bucket, createBucket);
        if (store.bucketCreator != null) {
            store.bucketCreator.start();
        }
        return store;
    }

    /** Whether the names of {@code owner}'s images can be built from it. */
    public static boolean isUsableOwner(String owner) {
        return owner != null && OWNER.matcher(owner).matches();
    }

    /** True once the bucket exists (at once when it is not ours to create). */
    public boolean bucketReady() {
        return bucketReady;
    }

    private void createBucketUntilDone() {
        while (!closed) {
            try {
                storage.create(BucketInfo.of(bucket));
                LOG.info("created bucket {}", bucket);
                bucketReady = true;
                return;
            } catch (BaseServiceException e) {
                if (e.getCode() == 409) {
                    LOG.info("bucket {} already exists", bucket);
                    bucketReady = true;
                    return;
                }
                pendingReason = "bucket " + bucket + " not created yet: " + GcsFailures.reason(e);
                LOG.warn(
                        "cannot create bucket {} yet, retrying in {} s: {}",
                        bucket,
                        BUCKET_RETRY.toSeconds(),
                        GcsFailures.reason(e));
            }
            try {
                Thread.sleep(BUCKET_RETRY);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stores {@code upload} as a new image of {@code owner}. */
    public StoredImage save(String owner, ImageUpload upload) {
        requireBucket();
        String id = ImageId.generate();
        BlobInfo info = BlobInfo.newBuilder(BlobId.of(bucket, objectName(owner, id)))
                .setContentType(upload.type().contentType())
                .setMetadata(Map.of(OWNER_METADATA, owner))
                .build();
        try {
            // doesNotExist: a new id never overwrites anything, and it makes the upload idempotent,
            // which is what lets the client retry it after a transient failure.
            Blob blob = storage.create(info, upload.bytes(), 0, upload.length(), BlobTargetOption.doesNotExist());
            // Type and size are the ones we checked and sent, not whatever the answer echoes.
            StoredImage echoed = toImage(owner, id, blob);
            return new StoredImage(
                    id, owner, upload.type().contentType(), upload.length(), echoed.createdAt(), echoed.generation());
        } catch (BaseServiceException e) {
            throw GcsFailures.unavailable(e);
        }
    }

    /** The image {@code id} of {@code owner}; empty when there is none (or it is someone else's). */
    public Optional<StoredImage> find(String owner, String id) {
        requireBucket();
        if (!ImageId.isValid(id)) {
            return Optional.empty();
        }
        try {
            Blob blob = storage.get(BlobId.of(bucket, objectName(owner, id)), BlobGetOption.fields(IMAGE_FIELDS));
            return Optional.ofNullable(blob).map(b -> toImage(owner, id, b));
        } catch (BaseServiceException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw GcsFailures.unavailable(e);
        }
    }

    /**
     * The content of {@code image}, pinned to its generation. Nothing is fetched until the first
     * read; read failures are IOExceptions whose cause {@link GcsFailures} can classify.
     */
    public InputStream open(StoredImage image) {
        requireBucket();
        try {
            String name = objectName(image.owner(), image.id());
            ReadChannel reader = storage.reader(
                    image.generation() > 0 ? BlobId.of(bucket, name, image.generation()) : BlobId.of(bucket, name));
            // The default chunk is 2 MiB per download; a smaller one bounds memory under many readers.
            reader.setChunkSize(READ_CHUNK_BYTES);
            return Channels.newInputStream(reader);
        } catch (BaseServiceException e) {
            throw GcsFailures.unavailable(e);
        }
    }

    /**
     * A page of {@code owner}'s images, in id order.
     *
     * @param pageToken the {@code nextPageToken} of the previous page, or null for the first
     * @throws ApiException 400 when GCS rejects the page token
     */
    public ImagePage list(String owner, int limit, String pageToken) {
        requireBucket();
        String prefix = ownerPrefix(owner);
        List<BlobListOption> options = new ArrayList<>(List.of(
                BlobListOption.prefix(prefix), BlobListOption.pageSize(limit), BlobListOption.fields(IMAGE_FIELDS)));
        if (pageToken != null) {
            options.add(BlobListOption.pageToken(pageToken));
        }
        try {
            Page<Blob> page = storage.list(bucket, options.toArray(BlobListOption[]::new));
            List<StoredImage> images = new ArrayList<>();
            for (Blob blob : page.getValues()) {
                String id = blob.getName().substring(prefix.length());
                if (ImageId.isValid(id)) {
                    images.add(toImage(owner, id, blob));
                }
            }
            String next = page.getNextPageToken();
            return new ImagePage(images, next == null || next.isEmpty() ? Optional.empty() : Optional.of(next));
        } catch (BaseServiceException e) {
            if (pageToken != null && e.getCode() == 400) {
                throw ApiException.badRequest("invalid pageToken");
            }
            throw GcsFailures.unavailable(e);
        }
    }

    /** Deletes image {@code id} of {@code owner}; false when there was none. */
    public boolean delete(String owner, String id) {
        requireBucket();
        if (!ImageId.isValid(id)) {
            return false;
        }
        try {
            return storage.delete(BlobId.of(bucket, objectName(owner, id)));
        } catch (BaseServiceException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw GcsFailures.unavailable(e);
        }
    }

    /** Readiness: the bucket exists and answers a one-object listing. */
    public DependencyCheck readinessCheck() {
        return new DependencyCheck(GcsFailures.DEPENDENCY, () -> {
            if (!bucketReady) {
                throw new IllegalStateException(pendingReason);
            }
            try {
                // Listing needs only object permissions (a bucket GET needs more than the service
                // has), and it fails with 404 when the bucket is missing.
                storage.list(
                                bucket,
                                BlobListOption.prefix(PREFIX),
                                BlobListOption.pageSize(1),
                                BlobListOption.fields(BlobField.NAME))
                        .getValues()
                        .iterator()
                        .hasNext();
            } catch (BaseServiceException e) {
                throw new IllegalStateException(
                        e.getCode() == 404
                                ? "bucket " + bucket + " does not exist"
                                : "bucket " + bucket + ": " + GcsFailures.reason(e),
                        e);
            }
        });
    }

    private void requireBucket() {
        if (!bucketReady) {
            throw new DependencyUnavailableException(GcsFailures.DEPENDENCY, new IllegalStateException(pendingReason));
        }
    }

    private static String ownerPrefix(String owner) {
        if (!isUsableOwner(owner)) {
            throw new IllegalArgumentException("owner name cannot be part of an object name");
        }
        return PREFIX + owner + "/";
    }

    private static String objectName(String owner, String id) {
        return ownerPrefix(owner) + id;
    }

    private static StoredImage toImage(String owner, String id, Blob blob) {
        OffsetDateTime created = blob.getCreateTimeOffsetDateTime();
        Long generation = blob.getGeneration();
        Long size = blob.getSize();
        return new StoredImage(
                id,
                owner,
                blob.getContentType(),
                size == null ? 0 : size,
                created == null ? null : created.toInstant(),
                generation == null ? 0 : generation);
    }

    /** Stops the background bucket creation, if it still runs. The storage client is the caller's. */
    @Override
    public void close() {
        closed = true;
        if (bucketCreator != null) {
            bucketCreator.interrupt();
        }
    }

    @Override
    public String toString() {
        return "ImageStore[bucket=" + bucket + "]";
    }
}
