package dev.mkplat.images;

import dev.mkplat.images.storage.GcsFailures;
import dev.mkplat.images.storage.ImageId;
import dev.mkplat.images.storage.ImagePage;
import dev.mkplat.images.storage.ImageStore;
import dev.mkplat.images.storage.StoredImage;
import dev.mkplat.images.upload.ImageUpload;
import dev.mkplat.images.upload.MultipartFormReader;
import dev.mkplat.images.upload.RequestBodyStream;
import dev.mkplat.images.upload.UploadBudget;
import dev.mkplat.service.auth.TokenVerifier;
import dev.mkplat.service.http.ApiException;
import dev.mkplat.service.http.Json;
import dev.mkplat.service.metrics.ServiceMetrics;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.prometheus.metrics.core.metrics.Counter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code /images}: upload, read back, list and delete. Every route needs a Bearer token, and a user
 * sees only their own images: another user's image answers 404 exactly like one that never
 * existed, so ids cannot be probed.
 */
final class ImageService implements HttpService {
    /** Where the resource is mounted. */
    static final String PATH = "/images";
    /** Images stored. */
    static final String UPLOADED_TOTAL = "images_uploaded_total";
    /** Bytes of images stored. */
    static final String UPLOAD_BYTES_TOTAL = "images_upload_bytes_total";

    static final String FILE_PART = "file";
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private static final int FIRST_CHUNK_BYTES = 64 * 1024;
    private static final Pattern PAGE_TOKEN = Pattern.compile("[\\x21-\\x7E]{1,1024}");

    private final ImageStore store;
    private final TokenVerifier verifier;
    private final int maxBytes;
    private final UploadBudget budget;
    private final Counter uploaded;
    private final Counter uploadBytes;

    ImageService(ImageStore store, TokenVerifier verifier, int maxBytes, UploadBudget budget, ServiceMetrics metrics) {
        this.store = store;
        this.verifier = verifier;
        this.maxBytes = maxBytes;
        this.budget = budget;
        this.uploaded = metrics.counter(UPLOADED_TOTAL, "Images stored");
        this.uploadBytes = metrics.counter(UPLOAD_BYTES_TOTAL, "Bytes of images stored");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/upload", this::uploadImageHandler)
                .get("/", this::listImagesHandler)
                .get("/{id}", this::getImageHandler)
                .delete("/{id}", this::deleteImageHandler);
    }

    private void uploadImageHandler(ServerRequest req, ServerResponse res) {
        // The token is checked before a byte of the body is read.
        String owner = owner(req);
        ImageUpload upload;
        StoredImage image;
        // The buffer is held until the bucket has the image, so the reservation lasts as long.
        try (UploadBudget.Lease lease = reserve(req)) {
            upload = readUpload(req);
            image = store.save(owner, upload);
        }
        uploaded.inc();
        uploadBytes.inc(upload.length());
        res.header(HeaderNames.LOCATION, url(image));
        Json.send(res, Status.CREATED_201, view(image));
    }

    private void getImageHandler(ServerRequest req, ServerResponse res) {
        String owner = owner(req);
        String id = req.path().pathParameters().get("id");
        StoredImage image = store.find(owner, id).orElseThrow(() -> notFound(id));
        try (InputStream content = store.open(image)) {
            // The first chunk is read before the status goes out, so that a bucket that fails now
            // is still a clean 503 (or 404 if the image was deleted in between), not a cut stream.
            byte[] first;
            try {
                first = content.readNBytes((int) Math.min(FIRST_CHUNK_BYTES, Math.max(1, image.size())));
            } catch (IOException e) {
                throw GcsFailures.isNotFound(e) ? notFound(id) : GcsFailures.unavailable(e);
            }
            res.header(HeaderNames.CONTENT_TYPE, image.contentType());
            res.header(HeaderNames.CONTENT_LENGTH, Long.toString(image.size()));
            // Served only with the sniffed type; browsers must not second-guess it.
            res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
            res.header(HeaderNames.CACHE_CONTROL, "private, max-age=3600");
            try (OutputStream out = res.outputStream()) {
                out.write(first);
                content.transferTo(out);
            }
        } catch (IOException e) {
            // After the headers went out nothing can be answered any more; the error mapping logs
            // it and the connection is closed, so the client sees a short body, not a wrong one.
            throw GcsFailures.unavailable(e);
        }
    }

    private void listImagesHandler(ServerRequest req, ServerResponse res) {
        String owner = owner(req);
        int limit = limit(req.query().first("limit").asOptional());
        String pageToken = req.query()
                .first("pageToken")
                .asOptional()
                .map(token -> {
                    if (!PAGE_TOKEN.matcher(token).matches()) {
                        throw ApiException.badRequest("invalid pageToken");
                    }
                    return token;
                })
                .orElse(null);
        ImagePage page = store.list(owner, limit, pageToken);
        List<Map<String, Object>> images = new ArrayList<>(page.images().size());
        page.images().forEach(image -> images.add(view(image)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("images", images);
        body.put("nextPageToken", page.nextPageToken().orElse(null));
        Json.send(res, Status.OK_200, body);
    }

    private void deleteImageHandler(ServerRequest req, ServerResponse res) {
        String owner = owner(req);
        String id = req.path().pathParameters().get("id");
        if (!store.delete(owner, id)) {
            throw notFound(id);
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    private String owner(ServerRequest req) {
        String username = verifier.authenticate(req);
        if (!ImageStore.isUsableOwner(username)) {
            // auth allows only [A-Za-z0-9_.-]{3,64}; anything else must not become part of a path.
            throw ApiException.unauthorized("this account cannot own images");
        }
        return username;
    }

    /**
     * Reserves the upload's buffer in the budget. A refused upload's body is read and thrown away
     * before the 503 goes out (it costs bandwidth, not memory): answering while the client is still
     * sending would make many clients see a reset connection instead of the answer.
     */
    private UploadBudget.Lease reserve(ServerRequest req) {
        try {
            return budget.reserve(bufferSize(req));
        } catch (ApiException refused) {
            try (InputStream in = new RequestBodyStream(req.content().inputStream())) {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException | ApiException e) {
                refused.addSuppressed(e);
            }
            throw refused;
        }
    }

    /** The most that reading this request's image can hold in memory (see {@link ImageUpload#read}). */
    private long bufferSize(ServerRequest req) {
        long declared = req.headers().contentLength().orElse(-1L);
        return declared > 0 ? Math.min(declared, maxBytes + 1L) : maxBytes + 1L;
    }

    /** The image in the body: the {@code file} part of a multipart form, or the raw body. */
    private ImageUpload readUpload(ServerRequest req) {
        long declared = req.headers().contentLength().orElse(-1L);
        Optional<HttpMediaType> type = req.headers().contentType();
        boolean multipart = type.map(ImageService::isMultipartForm).orElse(false);
        if (!multipart && declared > maxBytes) {
            throw ApiException.payloadTooLarge("the image is " + declared + " bytes; the limit is " + maxBytes);
        }
        if (!req.content().hasEntity()) {
            throw ApiException.badRequest(
                    multipart ? "the multipart body is empty" : "the request body is empty; send an image");
        }
        try (InputStream in = new RequestBodyStream(req.content().inputStream())) {
            if (!multipart) {
                return ImageUpload.read(in, maxBytes, declared);
            }
            MultipartFormReader form =
                    new MultipartFormReader(in, type.get().parameters().get("boundary"));
            InputStream file = form.part(FILE_PART)
                    .orElseThrow(
                            () -> ApiException.badRequest("the multipart form has no part named '" + FILE_PART + "'"));
            return ImageUpload.read(file, maxBytes, declared);
        } catch (IOException e) {
            throw ApiException.badRequest("could not read the request body: " + e.getMessage());
        }
    }

    private static boolean isMultipartForm(HttpMediaType type) {
        return type.mediaType().type().toLowerCase(Locale.ROOT).equals("multipart")
                && type.mediaType().subtype().toLowerCase(Locale.ROOT).equals("form-data");
    }

    private static int limit(Optional<String> text) {
        if (text.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(text.get().trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT);
        }
        return limit;
    }

    static String url(StoredImage image) {
        return PATH + "/" + image.id();
    }

    private static Map<String, Object> view(StoredImage image) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", image.id());
        view.put("contentType", image.contentType());
        view.put("size", image.size());
        view.put("url", url(image));
        view.put("createdAt", image.createdAt());
        return view;
    }

    private static ApiException notFound(String id) {
        // The id is echoed only when it has the shape of one of ours (it may be anything).
        return ApiException.notFound(ImageId.isValid(id) ? "no image " + id : "no such image");
    }
}
