package dev.mkplat.auth.users;

import java.util.Map;

import dev.mkplat.auth.password.PasswordHashing;
import dev.mkplat.service.http.ApiException;
import dev.mkplat.service.http.Json;
import dev.mkplat.service.http.Routes;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code POST /register}: creates a user with an Argon2id-hashed password. */
public final class RegistrationService {
    public static final String REGISTER_PATH = "/register";

    private final UserStore users;
    private final PasswordHashing hashing;

    public RegistrationService(UserStore users, PasswordHashing hashing) {
        this.users = users;
        this.hashing = hashing;
    }

    public void routing(HttpRules rules, Routes routes) {
        routes.post(rules, REGISTER_PATH, this::postRegisterHandler);
    }

    private void postRegisterHandler(ServerRequest req, ServerResponse res) {
        Credentials credentials = Credentials.read(req);
        // Hashed before the insert, whether or not the name turns out to be taken: the insert is
        // then the one atomic decision, and both answers cost the same time.
        String hash = hashing.hash(credentials.password());
        if (!users.create(credentials.username(), hash)) {
            throw ApiException.conflict("username '" + credentials.username() + "' is taken");
        }
        Json.send(res, Status.CREATED_201, Map.of("username", credentials.username()));
    }
}
