package dev.mkplat.api.items;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An item as stored and as returned: the server generates {@code id}, {@code owner} is the
 * username from the caller's token, and the timestamps are set by Postgres.
 *
 * @param id          generated UUID
 * @param name        1 to 200 characters
 * @param description 0 to 2000 characters
 * @param owner       username of the caller who created it
 * @param createdAt   creation time
 * @param updatedAt   time of the last replace (equal to {@code createdAt} until then)
 */
public record Item(UUID id, String name, String description, String owner, Instant createdAt, Instant updatedAt) {
    // Only the canonical 8-4-4-4-12 hex form: UUID.fromString also accepts "1-2-3-4-5", which would
    // give one item many URLs.
    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** The id in a path segment, or empty when it cannot be an item id (which the API answers with 404). */
    public static Optional<UUID> parseId(String text) {
        if (text == null || !CANONICAL_UUID.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(text.toLowerCase(Locale.ROOT)));
    }
}
