package dev.mkplat.images;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks a registry for the digest of a tag (the Distribution API's {@code HEAD
 * /v2/<repository>/manifests/<tag>}), anonymously: plain http on this machine's registries, https
 * elsewhere, and Docker Hub's anonymous token when the registry asks for one.
 */
public final class RegistryLookup {
    /** The manifest types mkplat's images come as (Jib's OCI, the stand-ins', Docker's and index forms). */
    private static final String ACCEPT = String.join(
            ",",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");

    private static final Pattern BEARER = Pattern.compile("Bearer realm=\"([^\"]+)\"(?:,service=\"([^\"]*)\")?.*");

    private final HttpClient http;
    private final Duration timeout;

    public RegistryLookup(Duration timeout) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.timeout = timeout;
    }

    /** What the registry said about a tag. */
    public sealed interface Answer {
        /** The tag is there, with this digest. */
        record Found(String digest) implements Answer {}

        /** The registry answered that it has no such tag (or repository). */
        record Missing() implements Answer {}

        /** No answer to go by: unreachable, refused, or an unexpected status. */
        record Unknown(String why) implements Answer {}
    }

    /** The digest of {@code reference}'s tag in its registry. */
    public Answer digest(ImageRef reference) {
        String host = reference.registry().equals(ImageRef.DOCKER_HUB) ? "registry-1.docker.io" : reference.registry();
        URI uri = URI.create((ImageRef.isLoopback(host) ? "http://" : "https://") + host + "/v2/"
                + reference.repository() + "/manifests/" + reference.tag());
        try {
            HttpResponse<Void> response = head(uri, Optional.empty());
            if (response.statusCode() == 401) {
                Optional<String> token = token(response, reference);
                if (token.isPresent()) {
                    response = head(uri, token);
                }
            }
            return switch (response.statusCode()) {
                case 200 ->
                    response.headers()
                            .firstValue("Docker-Content-Digest")
                            .<Answer>map(Answer.Found::new)
                            .orElse(new Answer.Unknown("no Docker-Content-Digest in the answer"));
                case 404 -> new Answer.Missing();
                case 401, 403 -> new Answer.Unknown("the registry wants credentials (" + response.statusCode() + ")");
                default -> new Answer.Unknown("HTTP " + response.statusCode());
            };
        } catch (IOException e) {
            return new Answer.Unknown(
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer.Unknown("interrupted");
        }
    }

    private HttpResponse<Void> head(URI uri, Optional<String> token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept", ACCEPT)
                .timeout(timeout);
        token.ifPresent(value -> request.header("Authorization", "Bearer " + value));
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    /** An anonymous pull token, when the registry's challenge names a token service (Docker Hub's does). */
    private Optional<String> token(HttpResponse<Void> challenge, ImageRef reference)
            throws IOException, InterruptedException {
        Optional<String> header = challenge.headers().firstValue("WWW-Authenticate");
        Matcher bearer = header.map(BEARER::matcher).filter(Matcher::matches).orElse(null);
        if (bearer == null) {
            return Optional.empty();
        }
        String query = "?scope=repository:" + reference.repository() + ":pull"
                + (bearer.group(2) == null ? "" : "&service=" + bearer.group(2));
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(bearer.group(1) + query))
                        .timeout(timeout)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return Optional.empty();
        }
        var body = JsonMapper.builder().build().readTree(response.body());
        String token = body.path("token").asString(body.path("access_token").asString(""));
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
