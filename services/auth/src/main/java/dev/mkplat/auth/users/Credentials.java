package dev.mkplat.auth.users;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkplat.service.http.ApiException;
import dev.mkplat.service.http.Json;
import io.helidon.webserver.http.ServerRequest;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /register} and {@code POST /login}:
 * {@code {"username": 3-64 of [A-Za-z0-9_.-], "password": 8-256 characters}}.
 */
public record Credentials(String username, String password) {
    /**
     * Larger than any valid body: even with every character escaped as a surrogate pair
     * (12 bytes each), 256 password and 64 username characters stay under 3.9 KiB.
     */
    public static final int MAX_BODY_BYTES = 4096;

    private static final Set<String> FIELDS = Set.of("username", "password");
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]+");

    /**
     * Reads and validates the request body.
     *
     * @throws ApiException 400, 413 or 415 naming what is wrong
     */
    public static Credentials read(ServerRequest req) {
        ObjectNode body = Json.readObject(req, MAX_BODY_BYTES);
        Json.rejectUnknownFields(body, FIELDS);
        String username = Json.requiredString(body, "username", 3, 64);
        if (!USERNAME.matcher(username).matches()) {
            throw ApiException.badRequest(
                    "field 'username' may contain only letters A-Z and a-z, digits, '_', '.' and '-'");
        }
        String password = Json.requiredString(body, "password", 8, 256);
        return new Credentials(username, password);
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + "]";
    }
}
