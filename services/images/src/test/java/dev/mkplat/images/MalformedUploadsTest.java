package dev.mkplat.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.HttpTestClient.Reply;
import dev.mkplat.service.testing.TestImages;
import io.helidon.webserver.WebServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Broken and hostile uploads, some written byte by byte on a raw socket (broken chunking, bodies
 * cut short), and a bounded fuzz run: none of it may produce a 5xx or hang the server.
 */
class MalformedUploadsTest {
    private static final int MAX_SIZE = 64 * 1024;

    private static ImagesEnvironment environment;
    private static WebServer server;
    private static HttpTestClient client;
    private static String token;

    @BeforeAll
    static void start() {
        environment = ImagesEnvironment.create();
        server = environment.start("images.max.size", Integer.toString(MAX_SIZE));
        client = ImagesEnvironment.client(server);
        token = environment.auth.login("mallory-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterAll
    static void stop() {
        environment.close();
    }

    /** Sends {@code head} and {@code body}, optionally half-closes, and returns the status code of the answer. */
    private static int rawStatus(String head, byte[] body, boolean halfClose) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                int read;
                while ((read = in.read(buffer)) > 0) {
                    response.write(buffer, 0, read);
                    if (response.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError(
                        "no answer within 10 s to: " + head.lines().findFirst().orElse(""), e);
            }
            String text = response.toString(StandardCharsets.ISO_8859_1);
            assertThat(text).as("an HTTP response").startsWith("HTTP/1.1 ");
            return Integer.parseInt(text.substring(9, 12));
        }
    }

    private static String head(String extraHeaders) {
        return "POST /images/upload HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token + "\r\n"
                + extraHeaders + "\r\n";
    }

    @Test
    void brokenChunkingIs400() throws IOException {
        byte[] body = "zz\r\nhello\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(rawStatus(head("Transfer-Encoding: chunked\r\nContent-Type: image/png\r\n"), body, false))
                .isIn(400);
        byte[] png = TestImages.png();
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        chunked.writeBytes((Integer.toHexString(png.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        chunked.writeBytes(png);
        chunked.writeBytes("\r\nnot-hex\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(rawStatus(
                        head("Transfer-Encoding: chunked\r\nContent-Type: image/png\r\n"), chunked.toByteArray(), true))
                .isIn(400);
    }

    @Test
    void bodyCutShortIs400() throws IOException {
        byte[] png = TestImages.png();
        assertThat(rawStatus(
                        head("Content-Length: " + (png.length + 500) + "\r\nContent-Type: image/png\r\n"), png, true))
                .isEqualTo(400);
        MultipartBody form = new MultipartBody("cut").file("file", "a.png", "image/png", png);
        byte[] partial = form.unterminated();
        assertThat(rawStatus(
                        head("Content-Length: " + (partial.length + 100) + "\r\nContent-Type: " + form.contentType()
                                + "\r\n"),
                        partial,
                        true))
                .isEqualTo(400);
    }

    @Test
    void chunkedBodyOverTheServersLimitIs413() throws IOException {
        // A form whose other fields alone exceed max-payload-size (the image limit + 1 MiB).
        MultipartBody form = new MultipartBody("big")
                .field("junk", "j".repeat(MAX_SIZE + 1024 * 1024 + 10))
                .file("file", "a.png", "image/png", TestImages.png());
        byte[] body = form.build();
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        for (int offset = 0; offset < body.length; offset += 8192) {
            int length = Math.min(8192, body.length - offset);
            chunked.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            chunked.write(body, offset, length);
            chunked.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        chunked.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(rawStatus(
                        head("Transfer-Encoding: chunked\r\nContent-Type: " + form.contentType() + "\r\n"),
                        chunked.toByteArray(),
                        false))
                .isEqualTo(413);
        // With a Content-Length, Helidon refuses it before the handler runs, still as JSON. The client
        // asks first (100-continue), so that the early answer cannot race the upload.
        Reply declared = client.postBytesExpectingContinue(
                "/images/upload", body, "Authorization", "Bearer " + token, "Content-Type", form.contentType());
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.json().has("error")).isTrue();
    }

    @Test
    void aThousandMalformedUploadsGiveNo5xx() {
        Random random = new Random(20261126);
        String[] types = {
            "image/png",
            "multipart/form-data; boundary=b",
            "multipart/form-data",
            "multipart/form-data; boundary=\"q b\"",
            "text/plain",
            "application/json",
            "multipart/mixed; boundary=b",
            "image/png; charset=utf-8",
            "*/*",
            "multipart/form-data; boundary="
        };
        byte[] png = TestImages.png();
        int created = 0;
        for (int i = 0; i < 1000; i++) {
            byte[] body;
            switch (i % 4) {
                case 0 -> {
                    body = new byte[random.nextInt(300)];
                    random.nextBytes(body);
                }
                case 1 -> {
                    // A valid form, then damaged at one random place.
                    body = new MultipartBody("b")
                            .file("file", "a.png", "image/png", png)
                            .build();
                    body[random.nextInt(body.length)] = (byte) random.nextInt(256);
                }
                case 2 -> {
                    body = new MultipartBody("b")
                            .file("file", "a.png", "image/png", png)
                            .build();
                    body = java.util.Arrays.copyOf(body, random.nextInt(body.length));
                }
                default -> {
                    body = png.clone();
                    body[random.nextInt(body.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            Reply reply = client.postBytes(
                    "/images/upload",
                    body,
                    "Authorization",
                    "Bearer " + token,
                    "Content-Type",
                    types[random.nextInt(types.length)]);
            assertThat(reply.status()).as("request %d: %s", i, reply.body()).isLessThan(500);
            if (reply.status() == 201) {
                created++;
            } else {
                assertThat(reply.json().path("error").asText()).isNotBlank();
            }
        }
        // Some damaged PNGs still carry a PNG signature and are stored: bytes decide, not validity.
        assertThat(created).isPositive();
        assertThat(client.get("/healthz").status()).isEqualTo(200);
    }
}
