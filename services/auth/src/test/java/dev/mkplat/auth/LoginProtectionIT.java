package dev.mkplat.auth;

import static dev.mkplat.auth.AuthClient.randomAddress;
import static dev.mkplat.auth.AuthClient.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.HttpTestClient.Reply;
import dev.mkplat.service.testing.RedisFixture;
import io.helidon.webserver.WebServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Brute-force protection and user enumeration, against a server that allows 3 failures per
 * address and 5 per username in the default 15 minute window and locks out for the default 15 minutes.
 * It trusts X-Forwarded-For, so each test picks its own client addresses.
 */
class LoginProtectionIT {
    private static final int MAX_FAILURES = 3;
    private static final int MAX_USER_FAILURES = 5;
    private static final long LOCKOUT_SECONDS = Duration.ofMinutes(15).toSeconds();

    private static AuthEnvironment environment;
    private static WebServer server;
    private static AuthClient auth;

    @BeforeAll
    static void start() {
        environment = AuthEnvironment.create();
        server = environment.start(
                "trust.forwarded",
                "true",
                "login.max.failures",
                Integer.toString(MAX_FAILURES),
                "login.max.user.failures",
                Integer.toString(MAX_USER_FAILURES));
        auth = new AuthClient(AuthEnvironment.client(server));
    }

    @AfterAll
    static void stop() {
        environment.close();
    }

    @Test
    void anUnknownUserAndAWrongPasswordGetTheSame401() {
        String name = uniqueName("known");
        auth.register(name, "the right password");

        Reply wrongPassword = auth.login(name, "the wrong password", randomAddress());
        Reply unknownUser = auth.login(uniqueName("nobody"), "the wrong password", randomAddress());

        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(unknownUser.status()).isEqualTo(401);
        assertThat(unknownUser.json().path("error"))
                .isEqualTo(wrongPassword.json().path("error"));
        assertThat(unknownUser.json().properties())
                .hasSameSizeAs(wrongPassword.json().properties());
        assertThat(unknownUser.header("WWW-Authenticate")).isEqualTo(wrongPassword.header("WWW-Authenticate"));
        assertThat(unknownUser.header("Content-Type")).isEqualTo(wrongPassword.header("Content-Type"));
    }

    @Test
    void anUnknownUserTakesAboutAsLongAsAWrongPassword() {
        // Without the dummy Argon2id run an unknown user would answer in about a millisecond and a
        // known one after the full hash, tens of times slower. The fastest of several tries is
        // compared, because noise only ever adds time.
        List<String> known = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = uniqueName("timed");
            auth.register(name, "the right password");
            known.add(name);
        }
        auth.login(uniqueName("warmup"), "the wrong password", randomAddress());
        long wrongPassword = Long.MAX_VALUE;
        long unknownUser = Long.MAX_VALUE;
        for (String name : known) {
            wrongPassword = Math.min(wrongPassword, timedLogin(name));
            unknownUser = Math.min(unknownUser, timedLogin(uniqueName("nobody")));
        }
        assertThat(unknownUser)
                .as("fastest unknown-user login vs wrong password, in ns: %d vs %d", unknownUser, wrongPassword)
                .isGreaterThan(wrongPassword / 3);
    }

    @Test
    void aUsernameIsLockedOutAfterTooManyFailuresEvenWithTheRightPassword() {
        String name = uniqueName("victim");
        auth.register(name, "the right password");
        // Each guess comes from another address, so only the username's count can trip: an
        // attacker with many addresses locks the owner out too, which is the price of a limit per username.
        for (int i = 0; i < MAX_USER_FAILURES; i++) {
            assertThat(auth.login(name, "guess " + i + "!!", randomAddress()).status())
                    .isEqualTo(401);
        }
        Reply locked = auth.login(name, "the right password", randomAddress());
        assertLocked(locked);
        // Still locked, and the right password does not help; other usernames are not affected.
        assertLocked(auth.login(name, "the right password", randomAddress()));
        assertLocked(auth.login(name.toUpperCase(), "the right password", randomAddress()));
        String other = uniqueName("bystander");
        auth.register(other, "the right password");
        assertThat(auth.login(other, "the right password", randomAddress()).status())
                .isEqualTo(200);
    }

    @Test
    void anUnknownUsernameIsLockedOutTheSameWay() {
        String known = uniqueName("real");
        auth.register(known, "the right password");
        String unknown = uniqueName("ghost");
        for (int i = 0; i < MAX_USER_FAILURES; i++) {
            assertThat(auth.login(known, "guess " + i + "!!", randomAddress()).status())
                    .isEqualTo(401);
            assertThat(auth.login(unknown, "guess " + i + "!!", randomAddress()).status())
                    .isEqualTo(401);
        }
        Reply knownLocked = auth.login(known, "guess again", randomAddress());
        Reply unknownLocked = auth.login(unknown, "guess again", randomAddress());
        assertLocked(knownLocked);
        assertLocked(unknownLocked);
        assertThat(unknownLocked.json().path("error"))
                .isEqualTo(knownLocked.json().path("error"));
    }

    @Test
    void anAddressIsLockedOutAfterTooManyFailuresAcrossUsernames() {
        String attacker = randomAddress();
        for (int i = 0; i < MAX_FAILURES; i++) {
            assertThat(auth.login(uniqueName("spray"), "Summer2026!", attacker).status())
                    .isEqualTo(401);
        }
        String name = uniqueName("innocent");
        auth.register(name, "the right password");
        assertLocked(auth.login(name, "the right password", attacker));
        // The user is not locked, only the address.
        assertThat(auth.login(name, "the right password", randomAddress()).status())
                .isEqualTo(200);
    }

    @Test
    void anIpv6AttackerCannotEscapeTheLimitByMovingWithinItsSlash64() {
        String network = String.format(
                "2001:db8:%x:%x",
                java.util.concurrent.ThreadLocalRandom.current().nextInt(0x10000),
                java.util.concurrent.ThreadLocalRandom.current()
                        .nextInt(0xffff)); // never ffff: that is the neighbour below
        for (int i = 0; i < MAX_FAILURES; i++) {
            assertThat(auth.login(uniqueName("spray"), "Summer2026!", network + "::" + Integer.toHexString(i + 1))
                            .status())
                    .isEqualTo(401);
        }
        assertLocked(auth.login(uniqueName("spray"), "Summer2026!", network + ":aaaa:bbbb:cccc:dddd"));
        // the next /64 is someone else
        String name = uniqueName("neighbour");
        auth.register(name, "the right password");
        assertThat(auth.login(name, "the right password", network.substring(0, network.lastIndexOf(':')) + ":ffff::1")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void onlyTheLastForwardedAddressCounts() {
        // A client cannot escape the address limit by prepending addresses of its own.
        String real = randomAddress();
        for (int i = 0; i < MAX_FAILURES; i++) {
            String forwarded = randomAddress() + ", " + real;
            Reply reply = auth.http.post(
                    "/login", AuthClient.credentials(uniqueName("spray"), "Summer2026!"), "X-Forwarded-For", forwarded);
            assertThat(reply.status()).isEqualTo(401);
        }
        Reply locked = auth.http.post(
                "/login",
                AuthClient.credentials(uniqueName("spray"), "Summer2026!"),
                "X-Forwarded-For",
                randomAddress() + ", " + real);
        assertLocked(locked);
    }

    @Test
    void aSuccessfulLoginForgivesTheUsernamesEarlierFailures() {
        String name = uniqueName("forgetful");
        auth.register(name, "the right password");
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < MAX_FAILURES - 1; i++) {
                assertThat(auth.login(name, "typo " + i + "!!!", randomAddress())
                                .status())
                        .isEqualTo(401);
            }
            assertThat(auth.login(name, "the right password", randomAddress()).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void twentyConcurrentCorrectLoginsFromOneAddressAllSucceed() throws Exception {
        // Several devices of one user, or several people behind one NAT: none of them guessed.
        String name = uniqueName("devices");
        auth.register(name, "the right password");
        String home = randomAddress();
        List<Callable<Integer>> logins = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            logins.add(() -> auth.login(name, "the right password", home).status());
        }
        assertThat(inParallel(logins)).containsOnly(200).hasSize(20);
        // and nothing was counted against the address
        assertThat(auth.login(name, "the right password", home).status()).isEqualTo(200);
    }

    @Test
    void wrongPasswordsLockTheAddressButTheOwnerStillGetsInFromAnother() {
        String name = uniqueName("targeted");
        auth.register(name, "the right password");
        String attacker = randomAddress();
        for (int i = 0; i < MAX_FAILURES; i++) {
            assertThat(auth.login(name, "guess " + i + "!!", attacker).status()).isEqualTo(401);
        }
        assertLocked(auth.login(name, "the right password", attacker));
        assertThat(auth.login(name, "the right password", randomAddress()).status())
                .isEqualTo(200);
    }

    @Test
    void parallelGuessesCannotOutrunTheLimit() throws Exception {
        // All guesses start before any of them has failed; still only as many as the limit are checked,
        // the username's from many addresses and the address's for many usernames.
        String name = uniqueName("burst");
        auth.register(name, "the right password");
        List<Callable<Integer>> fromEverywhere = new ArrayList<>();
        List<Callable<Integer>> fromOneAddress = new ArrayList<>();
        String attacker = randomAddress();
        for (int i = 0; i < 12; i++) {
            String guess = "parallel guess " + i;
            fromEverywhere.add(() -> auth.login(name, guess, randomAddress()).status());
            fromOneAddress.add(
                    () -> auth.login(uniqueName("sprayed"), guess, attacker).status());
        }
        List<Integer> statuses = inParallel(fromEverywhere);
        assertThat(statuses).containsOnly(401, 429);
        assertThat(statuses).filteredOn(status -> status == 401).hasSize(MAX_USER_FAILURES);
        statuses = inParallel(fromOneAddress);
        assertThat(statuses).containsOnly(401, 429);
        assertThat(statuses).filteredOn(status -> status == 401).hasSize(MAX_FAILURES);
    }

    @Test
    void lockoutsAreCounted() {
        HttpTestClient http = auth.http;
        double before = AuthIT.metricValue(
                dev.mkplat.service.testing.MetricsScrape.of(server), "auth_lockouts_total{scope=\"user\"}");
        double lockedBefore = AuthIT.metricValue(
                dev.mkplat.service.testing.MetricsScrape.of(server), "auth_logins_total{result=\"locked\"}");
        String name = uniqueName("counted");
        for (int i = 0; i < MAX_USER_FAILURES; i++) {
            auth.login(name, "guess " + i + "!!", randomAddress());
        }
        assertLocked(auth.login(name, "guess again", randomAddress()));
        assertLocked(auth.login(name, "guess again", randomAddress()));
        String metrics = dev.mkplat.service.testing.MetricsScrape.of(server);
        assertThat(AuthIT.metricValue(metrics, "auth_lockouts_total{scope=\"user\"}"))
                .isEqualTo(before + 1);
        assertThat(AuthIT.metricValue(metrics, "auth_logins_total{result=\"locked\"}"))
                .isGreaterThanOrEqualTo(lockedBefore + 2);
    }

    @Test
    void aLockoutEndsByItself() {
        WebServer shortLockout =
                environment.start("trust.forwarded", "true", "login.max.failures", "2", "login.lockout", "2s");
        try {
            AuthClient client = new AuthClient(AuthEnvironment.client(shortLockout));
            String name = uniqueName("patient");
            client.register(name, "the right password");
            String typist = randomAddress();
            client.login(name, "guess one!", typist);
            client.login(name, "guess two!", typist);
            Reply locked = client.login(name, "the right password", typist);
            assertThat(locked.status()).isEqualTo(429);
            assertThat(locked.header("Retry-After"))
                    .hasValueSatisfying(
                            value -> assertThat(Long.parseLong(value)).isBetween(1L, 2L));
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() ->
                            client.login(name, "the right password", typist).status() == 200);
        } finally {
            shortLockout.stop();
        }
    }

    @Test
    void withoutTrustTheForwardedHeaderIsIgnored() {
        // Its own Redis: this test locks out 127.0.0.1, the address every test request comes from.
        try (RedisFixture ownRedis = RedisFixture.create()) {
            WebServer untrusting = environment.start(environment.config(ownRedis, "login.max.failures", "2"));
            try {
                AuthClient client = new AuthClient(AuthEnvironment.client(untrusting));
                String name = uniqueName("honest");
                client.register(name, "the right password");
                // A spoofed header per request: if it counted, no address would reach the limit.
                for (int i = 0; i < 2; i++) {
                    assertThat(client.login(uniqueName("spray"), "Summer2026!", randomAddress())
                                    .status())
                            .isEqualTo(401);
                }
                assertLocked(client.login(name, "the right password", randomAddress()));
            } finally {
                untrusting.stop();
            }
        }
    }

    private static List<Integer> inParallel(List<Callable<Integer>> requests) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Integer> status : executor.invokeAll(requests)) {
                statuses.add(status.get());
            }
        }
        return statuses;
    }

    private static void assertLocked(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(429);
        assertThat(reply.json().path("error").asText()).isEqualTo("too many failed logins; try again later");
        assertThat(reply.header("Retry-After"))
                .hasValueSatisfying(
                        value -> assertThat(Long.parseLong(value)).isBetween(LOCKOUT_SECONDS - 60, LOCKOUT_SECONDS));
    }

    private static long timedLogin(String name) {
        long start = System.nanoTime();
        Reply reply = auth.login(name, "the wrong password", randomAddress());
        long elapsed = System.nanoTime() - start;
        assertThat(reply.status()).isEqualTo(401);
        return elapsed;
    }
}
