package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.arc4j.examples.center.http.HttpServer;
import org.arc4j.examples.center.http.Router;
import org.arc4j.examples.center.http.WebSocketHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket path besides the console's ({@code /ws/video}): the same token check, the opener called once the
 * handshake is done with the query parameters, and binary frames to the client; the console hub does not see it.
 */
class HttpServerSocketTest {
    private ExecutorService workers;
    private HttpServer server;
    private WebSocketHub hub;
    private String base;
    private final CompletableFuture<Map<String, List<String>>> opened = new CompletableFuture<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        workers = Executors.newFixedThreadPool(2);
        hub = new WebSocketHub();
        server = new HttpServer(new InetSocketAddress("127.0.0.1", 0), new Router(), workers, hub, "good"::equals)
                .socket("/ws/video", (ch, params) -> {
                    opened.complete(params);
                    ch.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
                });
        base = "ws://127.0.0.1:" + server.start().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
        workers.shutdownNow();
    }

    @Test
    void anotherSocketPathNeedsTheTokenAndGetsItsParameters() throws Exception {
        assertThat(client.newWebSocketBuilder().buildAsync(URI.create(base + "/ws/video?token=bad&camera=c1"),
                new WebSocket.Listener() { })).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .isInstanceOf(ExecutionException.class);
        assertThat(client.newWebSocketBuilder().buildAsync(URI.create(base + "/ws/other?token=good"),
                new WebSocket.Listener() { })).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .isInstanceOf(ExecutionException.class);
        assertThat(opened).isNotDone();

        CompletableFuture<byte[]> got = new CompletableFuture<>();
        WebSocket ws = client.newWebSocketBuilder().buildAsync(URI.create(base + "/ws/video?token=good&camera=c1"),
                new WebSocket.Listener() {
                    @Override
                    public CompletableFuture<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                        byte[] b = new byte[data.remaining()];
                        data.get(b);
                        got.complete(b);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        assertThat(opened.get(10, TimeUnit.SECONDS)).containsEntry("camera", List.of("c1"));
        assertThat(got.get(10, TimeUnit.SECONDS)).containsExactly(1, 2, 3);
        assertThat(hub.size()).isZero();
        ws.abort();
    }
}
