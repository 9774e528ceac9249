package dev.mkplat.images.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkplat.service.http.ApiException;
import io.helidon.http.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming multipart parser on its own, including bodies that arrive a byte at a time. */
class MultipartFormReaderTest {
    private static final String BOUNDARY = "XyZ-boundary";

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] form(byte[] file, String... extraParts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes("preamble to be ignored\r\n"));
        for (String part : extraParts) {
            out.writeBytes(bytes("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + part
                    + "\"\r\n\r\nvalue of " + part + "\r\n"));
        }
        out.writeBytes(bytes(
                "--" + BOUNDARY + "  \r\ncontent-disposition: form-data; filename=\"name=file\"; name=\"file\"\r\n"
                        + "Content-Type: image/png\r\n\r\n"));
        out.writeBytes(file);
        out.writeBytes(bytes("\r\n--" + BOUNDARY + "--\r\nepilogue"));
        return out.toByteArray();
    }

    /** Hands out at most {@code step} bytes per read, so every boundary falls across reads somewhere. */
    private static InputStream trickle(byte[] body, int step) {
        return new ByteArrayInputStream(body) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(step, len));
            }
        };
    }

    private static byte[] readFile(InputStream body) throws IOException {
        Optional<InputStream> file = new MultipartFormReader(body, BOUNDARY).part("file");
        assertThat(file).isPresent();
        return file.get().readAllBytes();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 13, 100, 65536})
    void findsTheFilePartWhateverTheReadSizes(int step) throws IOException {
        byte[] content = new byte[40_000];
        new Random(step).nextBytes(content);
        // Bytes that look like the start of a delimiter inside the content must pass through.
        byte[] lookalike = bytes("\r\n--" + BOUNDARY.substring(0, 5));
        System.arraycopy(lookalike, 0, content, 1000, lookalike.length);
        System.arraycopy(bytes("\r\n--"), 0, content, content.length - 4, 4);

        assertThat(readFile(trickle(form(content, "before", "other"), step))).isEqualTo(content);
    }

    @Test
    void bodyWithoutPreambleAndEmptyFileWork() throws IOException {
        byte[] body = bytes(
                "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=file\r\n\r\n\r\n--" + BOUNDARY + "--");
        assertThat(readFile(new ByteArrayInputStream(body))).isEmpty();
    }

    @Test
    void missingPartIsEmpty() throws IOException {
        byte[] body = bytes("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"files\"\r\n\r\nx\r\n--"
                + BOUNDARY + "--\r\n");
        assertThat(new MultipartFormReader(new ByteArrayInputStream(body), BOUNDARY).part("file"))
                .isEmpty();
        assertThat(new MultipartFormReader(new ByteArrayInputStream(bytes("--" + BOUNDARY + "--")), BOUNDARY)
                        .part("file"))
                .isEmpty();
    }

    @Test
    void malformedBodiesAre400() {
        assertBadRequest(bytes("no boundary anywhere"));
        assertBadRequest(
                bytes("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nunterminated"));
        assertBadRequest(bytes("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\""));
        assertBadRequest(bytes("--" + BOUNDARY + "garbage\r\n\r\n"));
        assertBadRequest(bytes("--" + BOUNDARY + "\r\nno colon here\r\n\r\nx\r\n--" + BOUNDARY + "--"));
        assertBadRequest(bytes("--" + BOUNDARY + "\r\nX-Flood: " + "a".repeat(10_000) + "\r\n\r\n"));
    }

    private static void assertBadRequest(byte[] body) {
        assertThatThrownBy(() -> readFile(trickle(body, 5)))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(Status.BAD_REQUEST_400));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "ends-with-space ", "has\"quote", "semi;colon"})
    void invalidBoundariesAre400(String boundary) {
        assertThatThrownBy(() -> new MultipartFormReader(new ByteArrayInputStream(new byte[0]), boundary))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void tooLongBoundaryIs400ButSeventyCharactersAreFine() {
        assertThatThrownBy(() -> new MultipartFormReader(new ByteArrayInputStream(new byte[0]), "b".repeat(71)))
                .isInstanceOf(ApiException.class);
        new MultipartFormReader(new ByteArrayInputStream(new byte[0]), "b".repeat(70));
        assertThatThrownBy(() -> new MultipartFormReader(new ByteArrayInputStream(new byte[0]), null))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void dispositionNameIsTheNameParameterOnly() {
        assertThat(MultipartFormReader.dispositionName("form-data; name=\"file\"; filename=\"a.png\""))
                .isEqualTo("file");
        assertThat(MultipartFormReader.dispositionName("form-data; filename=\"name=file\"; name=\"other\""))
                .isEqualTo("other");
        assertThat(MultipartFormReader.dispositionName("form-data; filename=\"x;name=file\""))
                .isNull();
        assertThat(MultipartFormReader.dispositionName("Form-Data;NAME=file")).isEqualTo("file");
        assertThat(MultipartFormReader.dispositionName("form-data; name=\"fi\\\"le\""))
                .isEqualTo("fi\"le");
        assertThat(MultipartFormReader.dispositionName("attachment; name=\"file\""))
                .isNull();
        assertThat(MultipartFormReader.dispositionName(null)).isNull();
        assertThat(MultipartFormReader.dispositionName("form-data")).isNull();
    }

    @Test
    void scanningIsLinearWhenTheBodyArrivesOneByteAtATime() throws IOException {
        // Part headers near their 8 KiB limit and a 64 KiB part, a byte per read: a parser that
        // rescans what it has already seen after every read looks at tens of millions of bytes.
        String longHeader = "X-Padding: " + "p".repeat(8000) + "\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"note\"\r\n" + longHeader
                + "\r\nhello\r\n"));
        byte[] file = new byte[64 * 1024];
        new Random(11).nextBytes(file);
        out.writeBytes(
                bytes("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"\r\n" + longHeader + "\r\n"));
        out.writeBytes(file);
        out.writeBytes(bytes("\r\n--" + BOUNDARY + "--\r\n"));
        byte[] body = out.toByteArray();

        MultipartFormReader reader = new MultipartFormReader(trickle(body, 1), BOUNDARY);
        assertThat(reader.part("file").orElseThrow().readAllBytes()).isEqualTo(file);
        assertThat(reader.examined())
                .as("bytes examined for a body of %d bytes", body.length)
                .isLessThan(4L * body.length);
    }
}
