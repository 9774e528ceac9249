package dev.mkplat.auth.sessions;

import dev.mkplat.service.http.ApiException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/** Reads {@code Authorization: Bearer <token>}; anything else is a 401 before Redis is asked. */
final class BearerToken {
    private static final String SCHEME = "Bearer ";

    private BearerToken() {}

    static String of(ServerRequest req) {
        String header = req.headers()
                .first(HeaderNames.AUTHORIZATION)
                .orElseThrow(() -> ApiException.unauthorized("missing Authorization: Bearer <token>"));
        if (!header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw ApiException.unauthorized("Authorization must use the Bearer scheme");
        }
        String token = header.substring(SCHEME.length()).trim();
        if (!SessionStore.isTokenShaped(token)) {
            throw ApiException.unauthorized("invalid or expired token");
        }
        return token;
    }
}
