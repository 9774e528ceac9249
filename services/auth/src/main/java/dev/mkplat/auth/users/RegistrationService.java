package dev.mkplat.auth.users;

import dev.mkplat.auth.password.PasswordHashing;
import dev.mkplat.auth.sessions.ClientAddress;
import dev.mkplat.service.http.ApiException;
import dev.mkplat.service.http.Json;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /register}: creates a user with an Argon2id-hashed password, at most
 * {@link RegistrationLimit} times per client address and window (429 with Retry-After beyond).
 */
public final class RegistrationService implements HttpService {
    /** Where the resource is mounted. */
    public static final String PATH = "/register";

    static final String TOO_MANY = "too many registrations from this address; try again later";

    private final UserStore users;
    private final PasswordHashing hashing;
    private final RegistrationLimit limit;
    private final boolean trustForwarded;

    public RegistrationService(
            UserStore users, PasswordHashing hashing, RegistrationLimit limit, boolean trustForwarded) {
        this.users = users;
        this.hashing = hashing;
        this.limit = limit;
        this.trustForwarded = trustForwarded;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::postRegisterHandler);
    }

    private void postRegisterHandler(ServerRequest req, ServerResponse res) {
        Credentials credentials = Credentials.read(req);
        // Counted after the body is valid (a 400 costs nothing) and before the hash, which is the cost.
        Optional<Duration> refused = limit.admit(ClientAddress.of(req, trustForwarded));
        if (refused.isPresent()) {
            throw ApiException.tooManyRequests(TOO_MANY, refused.get());
        }
        // Hashed before the insert, whether or not the name turns out to be taken: the insert is
        // then the one atomic decision, and both answers cost the same time.
        String hash = hashing.hash(credentials.password());
        if (!users.create(credentials.username(), hash)) {
            throw ApiException.conflict("username '" + credentials.username() + "' is taken");
        }
        Json.send(res, Status.CREATED_201, Map.of("username", credentials.username()));
    }
}
