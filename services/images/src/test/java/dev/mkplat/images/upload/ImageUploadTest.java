package dev.mkplat.images.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkplat.service.http.ApiException;
import dev.mkplat.service.testing.TestImages;
import io.helidon.http.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Type sniffing and the size bound, independent of HTTP. */
class ImageUploadTest {
    private static final byte[] PNG = TestImages.png();

    /** A PNG's first {@code size} bytes, padded with zeros: the type is in the first eight. */
    private static byte[] png(int size) {
        return Arrays.copyOf(PNG, size);
    }

    @Test
    void detectsEachFormatByItsSignature() {
        assertThat(ImageType.detect(PNG, 12)).contains(ImageType.PNG);
        assertThat(ImageType.detect(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}, 4))
                .contains(ImageType.JPEG);
        assertThat(ImageType.detect("GIF87a".getBytes(), 6)).contains(ImageType.GIF);
        assertThat(ImageType.detect("GIF89a".getBytes(), 6)).contains(ImageType.GIF);
        assertThat(ImageType.detect("GIF88a".getBytes(), 6)).isEmpty();
        assertThat(ImageType.detect("RIFF\u0001\u0002\u0003\u0004WEBPVP8 ".getBytes(), 16))
                .contains(ImageType.WEBP);
        assertThat(ImageType.detect("RIFF\u0001\u0002\u0003\u0004WAVE".getBytes(), 12))
                .isEmpty();
        assertThat(ImageType.detect(PNG, 7)).as("a cut signature").isEmpty();
        assertThat(ImageType.detect("<?xml version=".getBytes(), 14)).isEmpty();
    }

    @Test
    void readsUpToTheLimitAndRefusesOneByteMore() throws IOException {
        ImageUpload exact = ImageUpload.read(new ByteArrayInputStream(png(1000)), 1000, -1);
        assertThat(exact.length()).isEqualTo(1000);
        assertThat(exact.type()).isEqualTo(ImageType.PNG);
        assertThat(Arrays.copyOf(exact.bytes(), exact.length())).isEqualTo(png(1000));

        assertThatThrownBy(() -> ImageUpload.read(new ByteArrayInputStream(png(1001)), 1000, -1))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(Status.REQUEST_ENTITY_TOO_LARGE_413));
        // A declared size that lies low or high changes nothing.
        assertThat(ImageUpload.read(new ByteArrayInputStream(png(5000)), 10_000, 20)
                        .length())
                .isEqualTo(5000);
        assertThat(ImageUpload.read(new ByteArrayInputStream(png(20)), 10_000, 9_000)
                        .length())
                .isEqualTo(20);
        assertThatThrownBy(() -> ImageUpload.read(new ByteArrayInputStream(png(1001)), 1000, 10))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void stopsReadingAtTheLimitInsteadOfDrainingAnEndlessStream() {
        InputStream endless = new InputStream() {
            private long served;

            @Override
            public int read() {
                return served < PNG.length ? PNG[(int) served++] : 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                for (int i = 0; i < len; i++) {
                    b[off + i] = (byte) read();
                }
                return len;
            }
        };
        assertThatThrownBy(() -> ImageUpload.read(endless, 100_000, -1))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(Status.REQUEST_ENTITY_TOO_LARGE_413));
    }

    @Test
    void emptyIs400AndNonImageIs415BeforeTheRestIsRead() {
        assertThatThrownBy(() -> ImageUpload.read(new ByteArrayInputStream(new byte[0]), 1000, -1))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(Status.BAD_REQUEST_400));
        ByteArrayInputStream text = new ByteArrayInputStream("hello, this is text and more text".getBytes());
        assertThatThrownBy(() -> ImageUpload.read(text, 1000, -1))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(Status.UNSUPPORTED_MEDIA_TYPE_415));
        assertThat(text.available()).as("the rest of a non-image is not read").isPositive();
    }
}
