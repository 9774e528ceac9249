package dev.mkplat.images.storage;

import java.util.List;
import java.util.Optional;

/** One page of a listing and the opaque GCS token of the next page, if there is one. */
public record ImagePage(List<StoredImage> images, Optional<String> nextPageToken) {}
