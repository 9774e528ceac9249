package dev.mkplat.images.storage;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Image ids: 128 random bits in unpadded base64url (22 characters). Unguessable, URL-safe, and
 * checked against this exact shape before they reach the bucket, so that no path trick
 * ({@code ..%2F}, slashes, wildcards) can name another object.
 */
public final class ImageId {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{22}");

    private ImageId() {}

    /** A new random id. */
    public static String generate() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        return ENCODER.encodeToString(bits);
    }

    /** Whether {@code id} has the shape of a generated id. */
    public static boolean isValid(String id) {
        return id != null && SHAPE.matcher(id).matches();
    }
}
