package org.arc4j.examples.center.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.security.AccessControl;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.Argon2Parameters;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.Lockout;
import org.arc4j.core.security.LockoutPolicy;
import org.arc4j.core.security.PasswordHasher;
import org.arc4j.core.security.PasswordPolicy;
import org.arc4j.core.security.PersonalData;
import org.arc4j.core.security.Role;
import org.arc4j.core.security.Scope;
import org.arc4j.core.security.SessionManager;
import org.arc4j.core.security.User;
import org.arc4j.core.security.UserDirectory;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.examples.center.http.HttpServer;
import org.arc4j.examples.center.http.Router;
import org.arc4j.examples.center.http.WebSocketHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Login, {@code me} and logout over real HTTP through the centre's {@link HttpServer}, with the SDK's user directory
 * and sessions on a virtual clock: the per-host throttle answers 429 after twenty failures and lets the host in
 * again once the minute has passed, without waiting for it.
 */
class SessionResourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "Qz7!mVr2#Lp9-xWt";

    private final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-03-01T08:00:00Z"));
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ExecutorService workers;
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        AuditLog audit = new AuditLog(new InMemoryRecordStore(), scheduler.clock());
        SessionManager sessions = new SessionManager(scheduler, Duration.ofHours(8), new SecureRandom());
        // a cheap hash: the test is about the API, not Argon2's cost
        PasswordHasher hasher = new PasswordHasher(new Argon2Parameters(64, 1, 1, 16, 32), new SecureRandom());
        UserDirectory users = new UserDirectory(PasswordPolicy.defaults(), hasher,
                new Lockout(LockoutPolicy.DEFAULT, scheduler.clock()), sessions, audit, scheduler.clock());
        users.createUser(Actor.of("wang", "test"), User.of("wang", Role.OPERATOR, Scope.NONE),
                PersonalData.ofUsername("wang"), Secret.ofUtf8(PASSWORD));
        AccessGuard guard = new AccessGuard(sessions, AccessControl.defaults(), audit);
        SessionResource r = new SessionResource(users, guard,
                new LoginThrottle(scheduler.clock(), LoginThrottle.FAILURES_PER_MINUTE, LoginThrottle.WINDOW));
        Router router = new Router()
                .post("/api/login", CenterApi.caseErrors(r::login))
                .post("/api/logout", CenterApi.caseErrors(r::logout))
                .get("/api/me", CenterApi.caseErrors(r::me));
        workers = Executors.newFixedThreadPool(2);
        server = new HttpServer(new InetSocketAddress("127.0.0.1", 0), router, workers, new WebSocketHub(),
                t -> false);
        base = "http://127.0.0.1:" + server.start().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
        workers.shutdownNow();
    }

    private record Reply(int status, JsonNode body) {
    }

    private Reply call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()));
    }

    private Reply login(String user, String password) throws Exception {
        return call("POST", "/api/login", null,
                JSON.createObjectNode().put("username", user).put("password", password).toString());
    }

    @Test
    void loginMeAndLogout() throws Exception {
        Reply in = login("wang", PASSWORD);
        assertThat(in.status()).isEqualTo(200);
        assertThat(in.body().path("user").path("name").asText()).isEqualTo("wang");
        assertThat(in.body().path("user").path("role").asText()).isEqualTo("operator");
        assertThat(in.body().path("expiresAt").asText()).isEqualTo("2026-03-01T16:00:00Z");
        String token = in.body().path("token").asText();

        Reply me = call("GET", "/api/me", token, null);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body().path("user").path("name").asText()).isEqualTo("wang");

        assertThat(call("POST", "/api/logout", token, null).status()).isEqualTo(200);
        Reply after = call("GET", "/api/me", token, null);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.body().path("error").asText()).isEqualTo("the token is unknown or expired; log in again");
        assertThat(call("GET", "/api/me", null, null).body().path("error").asText())
                .isEqualTo("log in first (Authorization: Bearer TOKEN)");
    }

    @Test
    void twentyFailuresFromOneHostAMinuteThenTooManyRequestsUntilTheMinuteHasPassed() throws Exception {
        // a different unknown name each time, so that the per-account lockout never answers instead
        for (int i = 0; i < LoginThrottle.FAILURES_PER_MINUTE; i++) {
            Reply r = login("nobody" + i, "wrong-" + i);
            assertThat(r.status()).as("attempt %d", i + 1).isEqualTo(401);
            assertThat(r.body().path("error").asText()).isEqualTo("wrong user name or password");
        }
        Reply refused = login("wang", PASSWORD);
        assertThat(refused.status()).as("refused before the password is even checked").isEqualTo(429);
        assertThat(refused.body().path("error").asText())
                .isEqualTo("too many failed logins from 127.0.0.1; wait a minute");
        assertThat(refused.body().path("status").asInt()).isEqualTo(429);

        scheduler.advance(Duration.ofSeconds(60));
        assertThat(login("wang", PASSWORD).status()).as("the failures are exactly a minute old").isEqualTo(429);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(login("wang", PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void missingFieldsAreA400AndDoNotCount() throws Exception {
        for (int i = 0; i < LoginThrottle.FAILURES_PER_MINUTE + 1; i++) {
            Reply r = login("wang", "");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body().path("error").asText()).isEqualTo("username and password are required");
        }
        assertThat(login("wang", PASSWORD).status()).isEqualTo(200);
    }
}
