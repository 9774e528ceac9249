package dev.mkplat.auth.sessions;

import dev.mkplat.auth.password.PasswordHashing;
import dev.mkplat.auth.users.Credentials;
import dev.mkplat.auth.users.StoredUser;
import dev.mkplat.auth.users.UserStore;
import dev.mkplat.service.http.ApiException;
import dev.mkplat.service.http.Json;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions resource: {@code POST /login} starts one, {@code GET /verify} tells other services
 * whose it is, {@code POST /logout} ends it.
 *
 * <p>Login never says whether a user exists: an unknown username and a wrong password get the
 * same 401 after the same Argon2id work, count towards the same lockouts and get the same 429.
 */
public final class SessionService implements HttpService {
    private static final Logger LOG = LoggerFactory.getLogger(SessionService.class);
    /** Mounted at the root: its three paths are the ones the original auth service had. */
    public static final String PATH = "/";

    public static final String LOGIN_PATH = "/login";
    public static final String VERIFY_PATH = "/verify";
    public static final String LOGOUT_PATH = "/logout";

    static final String INVALID_CREDENTIALS = "invalid username or password";
    static final String LOCKED_OUT = "too many failed logins; try again later";
    static final String BUSY = "too many logins in progress; try again shortly";
    static final String INVALID_TOKEN = "invalid or expired token";

    private final UserStore users;
    private final PasswordHashing hashing;
    private final SessionStore sessions;
    private final LoginThrottle throttle;
    private final LoginMetrics metrics;
    private final boolean trustForwarded;

    public SessionService(
            UserStore users,
            PasswordHashing hashing,
            SessionStore sessions,
            LoginThrottle throttle,
            LoginMetrics metrics,
            boolean trustForwarded) {
        this.users = users;
        this.hashing = hashing;
        this.sessions = sessions;
        this.throttle = throttle;
        this.metrics = metrics;
        this.trustForwarded = trustForwarded;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(LOGIN_PATH, this::postLoginHandler)
                .get(VERIFY_PATH, this::getVerifyHandler)
                .post(LOGOUT_PATH, this::postLogoutHandler);
    }

    private void postLoginHandler(ServerRequest req, ServerResponse res) {
        Credentials credentials = Credentials.read(req);
        String client = ClientAddress.of(req, trustForwarded);
        LoginThrottle.Admission admission = throttle.begin(credentials.username(), client);
        if (!admission.admitted()) {
            metrics.locked(admission);
            throw ApiException.tooManyRequests(admission.busy() ? BUSY : LOCKED_OUT, admission.retryAfter());
        }
        Optional<StoredUser> user;
        boolean valid;
        try {
            user = users.find(credentials.username());
            valid = hashing.verify(credentials.password(), user.map(StoredUser::passwordHash));
        } catch (RuntimeException e) {
            // Postgres or the hashing pool failed: nothing was guessed, so the attempt does not count.
            giveBack(credentials.username(), client, e);
            throw e;
        }
        if (!valid || user.isEmpty()) {
            throttle.failed(credentials.username(), client);
            metrics.failure();
            throw ApiException.unauthorized(INVALID_CREDENTIALS);
        }
        throttle.succeeded(credentials.username(), client);
        IssuedToken token = sessions.create(user.get().username());
        metrics.success();
        upgradeHash(user.get(), credentials.password());
        Json.send(res, Status.OK_200, token);
    }

    /**
     * Brings the user's stored hash up to today's Argon2id parameters; the login is the only time
     * the password is known. A failure here costs the upgrade, never the login.
     */
    private void upgradeHash(StoredUser user, String password) {
        try {
            hashing.rehashIfOutdated(password, user.passwordHash())
                    .ifPresent(fresh -> users.replacePasswordHash(user.username(), user.passwordHash(), fresh));
        } catch (RuntimeException e) {
            LOG.warn("the password hash of a user could not be brought up to the current parameters: {}", e.toString());
        }
    }

    private void getVerifyHandler(ServerRequest req, ServerResponse res) {
        Session session =
                sessions.find(BearerToken.of(req)).orElseThrow(() -> ApiException.unauthorized(INVALID_TOKEN));
        Json.send(res, Status.OK_200, session);
    }

    private void postLogoutHandler(ServerRequest req, ServerResponse res) {
        if (!sessions.delete(BearerToken.of(req))) {
            throw ApiException.unauthorized(INVALID_TOKEN);
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    private void giveBack(String username, String client, RuntimeException failure) {
        try {
            throttle.abandoned(username, client);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
