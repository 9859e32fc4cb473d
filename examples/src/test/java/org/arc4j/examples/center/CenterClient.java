package org.arc4j.examples.center;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** A small client of the centre's REST API for tests: JSON in, status and JSON out. */
final class CenterClient {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A response: status and parsed body. */
    record Reply(int status, JsonNode body) {
        String error() {
            return body.path("error").asText();
        }
    }

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String token;

    CenterClient(String base) {
        this.base = base;
    }

    String base() {
        return base;
    }

    String token() {
        return token;
    }

    CenterClient withToken(String t) {
        CenterClient c = new CenterClient(base);
        c.token = t;
        return c;
    }

    Reply login(String user, String password) throws IOException, InterruptedException {
        Reply r = call("POST", "/api/login", JSON.createObjectNode().put("username", user).put("password", password));
        if (r.status() == 200) {
            token = r.body().path("token").asText();
        }
        return r;
    }

    /**
     * Makes a user (this client being an administrator's) who then sets an own password, as every new user must
     * before anything else, and logs in with it.
     *
     * @param name the user name
     * @param role the role
     * @return a client logged in as that user
     */
    CenterClient newUser(String name, String role) throws IOException, InterruptedException {
        Reply made = call("POST", "/api/users", JSON.createObjectNode().put("username", name)
                .put("password", "Tmp-Pass-4821!q").put("role", role));
        if (made.status() != 201) {
            throw new AssertionError("creating " + name + ": " + made);
        }
        CenterClient first = new CenterClient(base);
        first.login(name, "Tmp-Pass-4821!q");
        Reply changed = first.call("PUT", "/api/users/" + name + "/password", JSON.createObjectNode()
                .put("current", "Tmp-Pass-4821!q").put("password", "Own-Secret-9174?k"));
        if (changed.status() != 200) {
            throw new AssertionError("password of " + name + ": " + changed);
        }
        CenterClient user = new CenterClient(base);
        if (user.login(name, "Own-Secret-9174?k").status() != 200) {
            throw new AssertionError("login of " + name);
        }
        return user;
    }

    Reply get(String path) throws IOException, InterruptedException {
        return call("GET", path, null);
    }

    /** A GET for use inside wait conditions: the body, or an empty object on any failure. */
    JsonNode getQuietly(String path) {
        try {
            return get(path).body();
        } catch (IOException e) {
            return JSON.createObjectNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JSON.createObjectNode();
        }
    }

    Reply call(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()));
    }

    /**
     * Polls a GET until its body satisfies a condition (real I/O, bounded; no timer is awaited).
     */
    JsonNode await(String path, Predicate<JsonNode> done) throws IOException, InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < end) {
            Reply r = get(path);
            last = r.body();
            if (r.status() == 200 && done.test(last)) {
                return last;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("condition not met on " + path + ": " + last);
    }
}
