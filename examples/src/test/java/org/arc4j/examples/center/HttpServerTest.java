package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpServer;
import org.arc4j.examples.center.http.Router;
import org.arc4j.examples.center.http.WebSocketHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.arc4j.core.testkit.Await;

class HttpServerTest {
    private ExecutorService workers;
    private HttpServer server;
    private WebSocketHub hub;
    private String base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        workers = Executors.newFixedThreadPool(2);
        hub = new WebSocketHub();
        Router r = new Router()
                .get("/api/echo/{id}", req -> org.arc4j.examples.center.http.HttpResponse.ok(
                        Map.of("id", req.param("id"), "q", String.valueOf(req.query("q")))))
                .post("/api/json", req -> org.arc4j.examples.center.http.HttpResponse.ok(
                        Map.of("name", req.json().path("name").asText())))
                .get("/api/conflict", req -> {
                    throw new ApiException(409, "already taken");
                })
                .get("/api/boom", req -> {
                    throw new IllegalStateException("secret detail");
                });
        server = new HttpServer(new InetSocketAddress("127.0.0.1", 0), r, workers, hub, "good"::equals);
        base = "http://127.0.0.1:" + server.start().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
        workers.shutdownNow();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void routesWithPathAndQueryParameters() throws Exception {
        HttpResponse<String> r = get("/api/echo/42?q=x");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(r.body()).contains("\"id\":\"42\"", "\"q\":\"x\"");
    }

    @Test
    void errorsAreJsonWithTheRightStatus() throws Exception {
        assertThat(get("/api/nothing")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).contains("\"error\"");
        });
        assertThat(get("/api/json").statusCode()).isEqualTo(405);
        assertThat(get("/api/conflict")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(r.body()).contains("already taken");
        });
        assertThat(get("/api/boom")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.body()).doesNotContain("secret detail");
        });
        HttpResponse<String> bad = client.send(HttpRequest.newBuilder(URI.create(base + "/api/json"))
                .POST(HttpRequest.BodyPublishers.ofString("{not json")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("not valid JSON");
        HttpResponse<String> ok = client.send(HttpRequest.newBuilder(URI.create(base + "/api/json"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"值机员\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.body()).contains("值机员");
    }

    @Test
    void webSocketsNeedAValidTokenAndReceiveBroadcasts() throws Exception {
        CompletableFuture<WebSocket> rejected = client.newWebSocketBuilder()
                .buildAsync(URI.create(base.replace("http", "ws") + "/ws?token=bad"), new WebSocket.Listener() { });
        assertThat(rejected).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .isInstanceOf(java.util.concurrent.ExecutionException.class);

        CompletableFuture<String> got = new CompletableFuture<>();
        WebSocket ws = client.newWebSocketBuilder().buildAsync(URI.create(base.replace("http", "ws") + "/ws?token=good"),
                new WebSocket.Listener() {
                    @Override
                    public CompletableFuture<?> onText(WebSocket w, CharSequence data, boolean last) {
                        got.complete(data.toString());
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        Await.until(Duration.ofSeconds(10), () -> hub.size() > 0, () -> "the WebSocket in the hub");
        hub.broadcast("{\"type\":\"case\"}");
        assertThat(got.get(10, TimeUnit.SECONDS)).isEqualTo("{\"type\":\"case\"}");
        ws.abort();
    }

}
