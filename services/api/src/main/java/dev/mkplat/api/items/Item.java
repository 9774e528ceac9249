package dev.mkplat.api.items;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

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
    private static final int CANONICAL_LENGTH = 36;

    /** The id in a path segment, or empty when it cannot be an item id (which the API answers with 404). */
    public static Optional<UUID> parseId(String text) {
        if (text == null || !isCanonicalUuid(text)) {
            return Optional.empty();
        }
        // UUID.fromString reads hex digits of either case.
        return Optional.of(UUID.fromString(text));
    }

    /**
     * Only the canonical 8-4-4-4-12 hex form: UUID.fromString also accepts "1-2-3-4-5", which would
     * give one item many URLs. A loop rather than a regex, as every item route runs it.
     */
    private static boolean isCanonicalUuid(String text) {
        if (text.length() != CANONICAL_LENGTH) {
            return false;
        }
        for (int i = 0; i < CANONICAL_LENGTH; i++) {
            char c = text.charAt(i);
            boolean ok = (i == 8 || i == 13 || i == 18 || i == 23)
                    ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
