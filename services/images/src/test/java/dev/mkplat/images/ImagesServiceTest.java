package dev.mkplat.images;

import static dev.mkplat.service.testing.HttpTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import dev.mkplat.service.testing.AuthStandIn;
import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.HttpTestClient.Reply;
import dev.mkplat.service.testing.TestImages;
import io.helidon.webserver.WebServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The images service over real HTTP, with Google's in-memory storage behind it and a real HTTP
 * stand-in for auth's /verify.
 */
class ImagesServiceTest {
    static final int MAX_SIZE = 512 * 1024;
    private static ImagesEnvironment environment;
    private static AuthStandIn auth;
    private static WebServer server;
    private static HttpTestClient client;
    private static String alice;
    private static String aliceToken;
    private static String bobToken;

    @BeforeAll
    static void start() {
        environment = ImagesEnvironment.create();
        auth = environment.auth;
        server = environment.start("images.max.size", Integer.toString(MAX_SIZE));
        client = ImagesEnvironment.client(server);
        // The in-memory storage is shared by every test in the JVM: unique users keep them apart.
        alice = "alice-" + UUID.randomUUID().toString().substring(0, 8);
        aliceToken = auth.login(alice);
        bobToken = auth.login("bob-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterAll
    static void stop() {
        environment.close();
    }

    static Stream<Arguments> formats() {
        return Stream.of(
                Arguments.of("image/png", TestImages.png()),
                Arguments.of("image/jpeg", TestImages.jpeg()),
                Arguments.of("image/gif", TestImages.gif()),
                Arguments.of("image/webp", TestImages.webp()));
    }

    private static String[] headers(String token, String... more) {
        List<String> all = new ArrayList<>(List.of(bearer(token)));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static Reply uploadRaw(String token, byte[] image, String contentType) {
        return client.postBytes("/images/upload", image, headers(token, "Content-Type", contentType));
    }

    private static Reply uploadMultipart(String token, MultipartBody form) {
        return client.postBytes("/images/upload", form.build(), headers(token, "Content-Type", form.contentType()));
    }

    private static String uploadedId(String token, byte[] image) {
        Reply reply = uploadRaw(token, image, "application/octet-stream");
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    private static void assertError(Reply reply, int status) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.header("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(reply.json().path("error").asText()).isNotBlank();
        assertThat(reply.json().has("requestId")).isTrue();
    }

    @ParameterizedTest(name = "raw {0}")
    @MethodSource("formats")
    void rawUploadIsStoredAndReadBackByteForByte(String contentType, byte[] image) {
        Reply created = uploadRaw(aliceToken, image, contentType);

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode json = created.json();
        String id = json.path("id").asText();
        assertThat(id).matches("[A-Za-z0-9_-]{22}");
        assertThat(json.path("contentType").asText()).isEqualTo(contentType);
        assertThat(json.path("size").asLong()).isEqualTo(image.length);
        assertThat(json.path("url").asText()).isEqualTo("/images/" + id);
        assertThat(created.header("Location")).contains("/images/" + id);

        Reply read = client.get("/images/" + id, bearer(aliceToken));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.bytes()).isEqualTo(image);
        assertThat(read.header("Content-Type")).contains(contentType);
        assertThat(read.header("Content-Length")).contains(Integer.toString(image.length));
        assertThat(read.header("X-Content-Type-Options")).contains("nosniff");

        // What is in the bucket: the owner's prefix, the sniffed type, the owner in the metadata.
        Blob blob = environment.storage.get(BlobId.of(ImagesEnvironment.BUCKET, "images/" + alice + "/" + id));
        assertThat(blob.getContentType()).isEqualTo(contentType);
        assertThat(blob.getSize()).isEqualTo(image.length);
        assertThat(blob.getMetadata()).containsEntry("owner", alice);
    }

    @ParameterizedTest(name = "multipart {0}")
    @MethodSource("formats")
    void multipartUploadIsStoredAndReadBackByteForByte(String contentType, byte[] image) {
        MultipartBody form = new MultipartBody()
                .field("description", "a field before the file is skipped")
                .file("file", "picture.bin", "application/octet-stream", image)
                .field("after", "and one after it is never read");

        Reply created = uploadMultipart(aliceToken, form);

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("contentType").asText()).isEqualTo(contentType);
        assertThat(created.json().path("size").asLong()).isEqualTo(image.length);
        Reply read = client.get(created.json().path("url").asText(), bearer(aliceToken));
        assertThat(read.bytes()).isEqualTo(image);
        assertThat(read.header("Content-Type")).contains(contentType);
    }

    @Test
    void theTypeComesFromTheBytesNotFromTheDeclaredHeaders() {
        Reply jpegCalledPng = uploadRaw(aliceToken, TestImages.jpeg(), "image/png");
        assertThat(jpegCalledPng.status()).isEqualTo(201);
        assertThat(jpegCalledPng.json().path("contentType").asText()).isEqualTo("image/jpeg");

        Reply gifInMultipartCalledWebp =
                uploadMultipart(aliceToken, new MultipartBody().file("file", "x.webp", "image/webp", TestImages.gif()));
        assertThat(gifInMultipartCalledWebp.json().path("contentType").asText()).isEqualTo("image/gif");
    }

    @Test
    void largeImageStreamsBackWhole() {
        byte[] image = TestImages.png(280, 280, 42);
        assertThat(image.length).isBetween(200 * 1024, MAX_SIZE);

        String id = uploadedId(aliceToken, image);
        Reply read = client.get("/images/" + id, bearer(aliceToken));

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.bytes()).isEqualTo(image);
    }

    @Test
    void chunkedUploadWithoutContentLengthIsAccepted() throws Exception {
        byte[] image = TestImages.png(100, 100, 7);
        HttpResponse<String> response = sendChunked(image, aliceToken);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.body()).contains("\"size\":" + image.length);
    }

    @Test
    void listingShowsTheCallersImagesOnlyAndHonoursTheLimit() {
        String carol = "carol-" + UUID.randomUUID().toString().substring(0, 8);
        String carolToken = auth.login(carol);
        Set<String> uploaded = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            uploaded.add(uploadedId(carolToken, TestImages.png(2, 2, i)));
        }
        uploadedId(bobToken, TestImages.gif());

        Reply all = client.get("/images", bearer(carolToken));
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        Set<String> listed = new HashSet<>();
        for (JsonNode image : all.json().path("images")) {
            assertThat(image.path("contentType").asText()).isEqualTo("image/png");
            assertThat(image.path("url").asText())
                    .isEqualTo("/images/" + image.path("id").asText());
            assertThat(image.path("size").asLong()).isPositive();
            listed.add(image.path("id").asText());
        }
        assertThat(listed).isEqualTo(uploaded);
        assertThat(all.json().path("nextPageToken").isNull()).isTrue();

        // Following nextPageToken is tested against fake-gcs-server (ImagesEmulatorIT): the
        // in-memory fake does not page.
        Reply firstTwo = client.get("/images?limit=2", bearer(carolToken));
        assertThat(firstTwo.json().path("images").size()).isEqualTo(2);
        assertThat(firstTwo.json().has("nextPageToken")).isTrue();
    }

    @Test
    void listOfSomeoneWithoutImagesIsEmpty() {
        Reply empty = client.get(
                "/images",
                bearer(auth.login("nobody-" + UUID.randomUUID().toString().substring(0, 8))));
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.json().path("images").isArray()).isTrue();
        assertThat(empty.json().path("images").size()).isZero();
        assertThat(empty.json().path("nextPageToken").isNull()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "limit=0",
                "limit=101",
                "limit=-1",
                "limit=abc",
                "limit=1.5",
                "limit=",
                "pageToken=a%20b",
                "pageToken="
            })
    void badListParametersAre400(String query) {
        assertError(client.get("/images?" + query, bearer(aliceToken)), 400);
    }

    @Test
    void deleteRemovesTheImage() {
        String id = uploadedId(aliceToken, TestImages.png());

        Reply deleted = client.delete("/images/" + id, bearer(aliceToken));
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.bytes()).isEmpty();

        assertError(client.get("/images/" + id, bearer(aliceToken)), 404);
        assertError(client.delete("/images/" + id, bearer(aliceToken)), 404);
        assertThat(client.get("/images?limit=100", bearer(aliceToken)).body()).doesNotContain(id);
    }

    @Test
    void anotherUsersImageDoesNotExistForYou() {
        String id = uploadedId(aliceToken, TestImages.png());

        assertError(client.get("/images/" + id, bearer(bobToken)), 404);
        assertError(client.delete("/images/" + id, bearer(bobToken)), 404);
        assertThat(client.get("/images?limit=100", bearer(bobToken)).body()).doesNotContain(id);

        assertThat(client.get("/images/" + id, bearer(aliceToken)).status()).isEqualTo(200);
    }

    @Test
    void textFileCalledPngIs415() {
        byte[] text = "just some text, not a picture\n".getBytes(StandardCharsets.UTF_8);
        assertError(uploadMultipart(aliceToken, new MultipartBody().file("file", "cat.png", "image/png", text)), 415);
        assertError(uploadRaw(aliceToken, text, "image/png"), 415);
    }

    @Test
    void otherFormatsAre415() {
        byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
                .getBytes(StandardCharsets.UTF_8);
        assertError(uploadRaw(aliceToken, svg, "image/svg+xml"), 415);
        byte[] bmp = {'B', 'M', 0x3A, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0};
        assertError(uploadRaw(aliceToken, bmp, "image/bmp"), 415);
        // A PNG signature cut short is not a PNG.
        assertError(uploadRaw(aliceToken, Arrays.copyOf(TestImages.png(), 4), "image/png"), 415);
        // RIFF but not WEBP (a WAV file).
        assertError(
                uploadRaw(aliceToken, "RIFF\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.ISO_8859_1), "image/webp"), 415);
    }

    @Test
    void tooLargeIs413WhetherDeclaredOrNot() throws Exception {
        byte[] tooLarge = new byte[MAX_SIZE + 1];
        System.arraycopy(TestImages.png(), 0, tooLarge, 0, 16);

        assertError(uploadRaw(aliceToken, tooLarge, "image/png"), 413);
        // Chunked: no Content-Length to check up front, so the limit holds while reading.
        HttpResponse<String> chunked = sendChunked(tooLarge, aliceToken);
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
        assertThat(chunked.body()).contains("\"error\"");
        assertError(
                uploadMultipart(aliceToken, new MultipartBody().file("file", "big.png", "image/png", tooLarge)), 413);

        byte[] exactlyMax = new byte[MAX_SIZE];
        System.arraycopy(TestImages.png(), 0, exactlyMax, 0, 16);
        assertThat(uploadRaw(aliceToken, exactlyMax, "image/png").status()).isEqualTo(201);
    }

    @Test
    void emptyOrMissingImageIs400() {
        assertError(uploadRaw(aliceToken, new byte[0], "image/png"), 400);
        assertError(client.postBytes("/images/upload", new byte[0], bearer(aliceToken)), 400);
        assertError(
                uploadMultipart(aliceToken, new MultipartBody().file("file", "empty.png", "image/png", new byte[0])),
                400);
        assertError(
                uploadMultipart(aliceToken, new MultipartBody().file("image", "a.png", "image/png", TestImages.png())),
                400);
        assertError(uploadMultipart(aliceToken, new MultipartBody().field("file-name", "file")), 400);
        assertError(uploadMultipart(aliceToken, new MultipartBody()), 400);
    }

    @Test
    void malformedMultipartIs400() {
        MultipartBody unterminated = new MultipartBody().file("file", "a.png", "image/png", TestImages.png());
        assertError(
                client.postBytes(
                        "/images/upload",
                        unterminated.unterminated(),
                        headers(aliceToken, "Content-Type", unterminated.contentType())),
                400);
        assertError(
                client.postBytes(
                        "/images/upload",
                        new MultipartBody()
                                .file("file", "a.png", "image/png", TestImages.png())
                                .build(),
                        headers(aliceToken, "Content-Type", "multipart/form-data")),
                400);
        assertError(
                client.postBytes(
                        "/images/upload",
                        "no boundary in sight".getBytes(StandardCharsets.UTF_8),
                        headers(aliceToken, "Content-Type", "multipart/form-data; boundary=xyz")),
                400);
        byte[] headerFlood = new MultipartBody("b")
                .raw("--b\r\nX-Junk: " + "j".repeat(20_000) + "\r\n\r\n")
                .unterminated();
        assertError(
                client.postBytes(
                        "/images/upload",
                        headerFlood,
                        headers(aliceToken, "Content-Type", "multipart/form-data; boundary=b")),
                400);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/images/short",
                "/images/AAAAAAAAAAAAAAAAAAAAAAA",
                "/images/AAAAAAAAAAAAAAAAAAAAA%2F",
                "/images/..%2F..%2F..%2Fetc%2Fpasswd",
                "/images/%2e%2e",
                "/images/..",
                "/images/%2e%2e%2fimages%2fsomeone%2fAAAAAAAAAAAAAAAAAAAAAA",
                "/images/AAAAAAAAAAAAAAAAAAAA*A",
                "/images/AAAAAAAAAAAAAAAAAAAAAA"
            })
    void badOrUnknownIdsAre404Or400(String path) {
        for (Reply reply : List.of(client.get(path, bearer(aliceToken)), client.delete(path, bearer(aliceToken)))) {
            assertThat(reply.status()).as(path + " -> " + reply.body()).isIn(400, 404, 405);
            if (reply.status() != 405) {
                assertThat(reply.json().path("error").asText()).isNotBlank();
            }
        }
        assertThat(client.get(path, bearer(aliceToken)).status()).isIn(400, 404);
    }

    @Test
    void everyImagesRouteNeedsAValidToken() {
        String id = uploadedId(aliceToken, TestImages.png());
        List<Reply> anonymous = List.of(
                client.postBytes("/images/upload", TestImages.png(), "Content-Type", "image/png"),
                client.get("/images"),
                client.get("/images/" + id),
                client.delete("/images/" + id));
        for (Reply reply : anonymous) {
            assertError(reply, 401);
            assertThat(reply.header("WWW-Authenticate"))
                    .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
        }
        String unknown = auth.login("x").replace('A', 'B') + "Zz";
        assertError(client.get("/images", bearer(unknown)), 401);
        assertError(client.postBytes("/images/upload", TestImages.png(), bearer("not a token")), 401);
        assertError(client.get("/images/" + id, "Authorization", "Basic YWxpY2U6c2VjcmV0"), 401);
        assertError(client.get("/images/" + id, "Authorization", "Bearer"), 401);
        // Still there: nothing anonymous touched it.
        assertThat(client.get("/images/" + id, bearer(aliceToken)).status()).isEqualTo(200);
    }

    @Test
    void unknownRoutesAndMethodsAreJson404And405() {
        assertError(client.get("/nope"), 404);
        assertError(client.get("/images/a/b"), 404);
        Reply postList = client.postBytes("/images", TestImages.png(), bearer(aliceToken));
        assertError(postList, 405);
        assertThat(postList.header("Allow"))
                .hasValueSatisfying(allow -> assertThat(allow).contains("GET"));
        Reply putImage = client.put("/images/AAAAAAAAAAAAAAAAAAAAAA", "{}", bearer(aliceToken));
        assertError(putImage, 405);
        assertThat(putImage.header("Allow"))
                .hasValueSatisfying(allow -> assertThat(allow).contains("GET").contains("DELETE"));
        assertError(client.get("/images/upload/x", bearer(aliceToken)), 404);
        // The document gives /images/upload only POST; /images/{id}'s GET and DELETE are not its methods.
        Reply options = client.method("OPTIONS", "/images/upload", null, bearer(aliceToken));
        assertError(options, 405);
        assertThat(options.header("Allow")).contains("POST");
        // Nor does /images/{id} answer for it: GET and DELETE /images/upload are 405 too, not "no such image".
        for (Reply other : List.of(
                client.get("/images/upload", bearer(aliceToken)),
                client.delete("/images/upload", bearer(aliceToken)))) {
            assertError(other, 405);
            assertThat(other.header("Allow")).contains("POST");
        }
    }

    @Test
    void authOutageIs503WithRetryAfterAndRecovers() {
        String token = auth.login("dave-" + UUID.randomUUID().toString().substring(0, 8));
        auth.stop();
        try {
            long started = System.nanoTime();
            Reply down = uploadRaw(token, TestImages.png(), "image/png");
            assertError(down, 503);
            assertThat(down.header("Retry-After")).isPresent();
            assertThat(down.json().path("error").asText()).isEqualTo("auth unavailable");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertError(client.get("/images", bearer(token)), 503);
        } finally {
            auth.start();
        }
        assertThat(uploadRaw(token, TestImages.png(), "image/png").status()).isEqualTo(201);
    }

    @Test
    void readinessChecksTheBucket() {
        Reply ready = client.get("/readyz");
        assertThat(ready.status()).as(ready.body()).isEqualTo(200);
        assertThat(ready.json().path("checks").path("gcs").asText()).isEqualTo("UP");
        assertThat(client.get("/healthz").json().path("status").asText()).isEqualTo("UP");
    }

    @Test
    void metricsCountUploadsAndBytes() {
        double uploadsBefore = metric("images_uploaded_total");
        double bytesBefore = metric("images_upload_bytes_total");
        byte[] image = TestImages.gif();
        String id = uploadedId(aliceToken, image);
        client.get("/images/" + id, bearer(aliceToken));

        assertThat(metric("images_uploaded_total")).isEqualTo(uploadsBefore + 1);
        assertThat(metric("images_upload_bytes_total")).isEqualTo(bytesBefore + image.length);
        String text = dev.mkplat.service.testing.MetricsScrape.of(server);
        assertThat(text)
                .contains(
                        "http_server_request_duration_seconds_bucket{method=\"GET\",route=\"/images/{id}\",status=\"200\"");
        assertThat(text).contains("route=\"/images/upload\",status=\"201\"");
        assertThat(text).doesNotContain(id);
    }

    @Test
    void openapiIsServed() {
        Reply openapi = client.get("/openapi");
        assertThat(openapi.status()).isEqualTo(200);
        assertThat(openapi.body()).contains("/images/upload");
    }

    @Test
    void dataSurvivesAServiceRestart() {
        // A second service on the same storage, stopped and replaced by a third one.
        WebServer first = environment.start("images.max.size", Integer.toString(MAX_SIZE));
        HttpTestClient firstClient = ImagesEnvironment.client(first);
        byte[] image = TestImages.jpeg();
        Reply created = firstClient.postBytes("/images/upload", image, bearer(aliceToken));
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().path("id").asText();
        first.stop();

        WebServer second = environment.start("images.max.size", Integer.toString(MAX_SIZE));
        try {
            HttpTestClient secondClient = ImagesEnvironment.client(second);
            Reply read = secondClient.get("/images/" + id, bearer(aliceToken));
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.bytes()).isEqualTo(image);
            assertThat(secondClient.get("/images?limit=100", bearer(aliceToken)).body())
                    .contains(id);
        } finally {
            second.stop();
        }
    }

    private static double metric(String name) {
        for (String line : dev.mkplat.service.testing.MetricsScrape.of(server).split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError(name + " is not exported");
    }

    private static HttpResponse<String> sendChunked(byte[] body, String token)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/images/upload"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "image/png")
                .timeout(Duration.ofSeconds(20))
                // ofInputStream has no known length, so the client sends Transfer-Encoding: chunked.
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        try (HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
