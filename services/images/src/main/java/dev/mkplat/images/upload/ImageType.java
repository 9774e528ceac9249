package dev.mkplat.images.upload;

import java.util.Optional;

/**
 * The image formats the service accepts, recognised by their magic bytes. The declared
 * {@code Content-Type} is never trusted: a text file called {@code cat.png} is not a PNG, and
 * serving it back as one would let a browser be tricked into rendering something else.
 */
public enum ImageType {
    PNG("image/png", new int[] {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}),
    JPEG("image/jpeg", new int[] {0xFF, 0xD8, 0xFF}),
    GIF("image/gif", new int[] {'G', 'I', 'F', '8', -1, 'a'}) {
        @Override
        boolean matches(byte[] head, int length) {
            // GIF87a or GIF89a
            return super.matches(head, length) && (head[4] == '7' || head[4] == '9');
        }
    },
    // RIFF <4-byte length> WEBP
    WEBP("image/webp", new int[] {'R', 'I', 'F', 'F', -1, -1, -1, -1, 'W', 'E', 'B', 'P'});

    /** How many leading bytes {@link #detect} needs to tell every format apart. */
    public static final int MAGIC_LENGTH = 12;

    private final String contentType;
    private final int[] magic;

    ImageType(String contentType, int[] magic) {
        this.contentType = contentType;
        this.magic = magic;
    }

    /** The MIME type the image is stored and served with. */
    public String contentType() {
        return contentType;
    }

    /** The format whose signature starts {@code head[0, length)}, if any. */
    public static Optional<ImageType> detect(byte[] head, int length) {
        for (ImageType type : values()) {
            if (type.matches(head, length)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    boolean matches(byte[] head, int length) {
        if (length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (magic[i] >= 0 && (head[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
