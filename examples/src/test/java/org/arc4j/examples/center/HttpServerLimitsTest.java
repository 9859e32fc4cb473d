package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.arc4j.examples.center.http.HttpResponse;
import org.arc4j.examples.center.http.HttpServer;
import org.arc4j.examples.center.http.Router;
import org.arc4j.examples.center.http.WebSocketHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.arc4j.core.testkit.Await;

/** The HTTP server's bounds against what a hostile or broken client sends, over raw sockets. */
class HttpServerLimitsTest {
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final CountDownLatch fastRan = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private InetSocketAddress start(HttpServer.Limits limits, ExecutorService workers) throws Exception {
        Router r = new Router()
                .get("/api/fast", req -> {
                    fastRan.countDown();
                    return HttpResponse.ok(Map.of("name", "fast"));
                })
                .get("/api/slow", req -> {
                    // would see the fast request run beside it if requests of one connection overlapped
                    boolean overlapped = fastRan.await(1, TimeUnit.SECONDS);
                    return HttpResponse.ok(Map.of("name", "slow", "overlapped", overlapped));
                })
                .get("/api/block", req -> {
                    release.await(10, TimeUnit.SECONDS);
                    return HttpResponse.ok(Map.of("name", "block"));
                })
                .post("/api/echo", req -> HttpResponse.ok(Map.of("bytes", req.body().length)));
        HttpServer server = new HttpServer(new InetSocketAddress("127.0.0.1", 0), r, workers, new WebSocketHub(),
                t -> false, limits);
        closeables.add(server);
        closeables.add(workers::shutdownNow);
        return server.start();
    }

    private static ExecutorService pool(int threads, int queue) {
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue));
    }

    private Socket connect(InetSocketAddress a) throws IOException {
        Socket s = new Socket();
        s.connect(a, 5000);
        s.setSoTimeout(10_000);
        closeables.add(s);
        return s;
    }

    /** Reads until the server closes the connection or {@code until} is seen. */
    private static String read(Socket s, String until) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[4096];
        int n;
        try {
            while ((n = in.read(b)) >= 0) {
                out.write(b, 0, n);
                if (until != null && out.toString(StandardCharsets.ISO_8859_1).contains(until)) {
                    break;
                }
            }
        } catch (java.net.SocketException e) {
            // reset by the server: what was read so far is the answer
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheOrderReceived() throws Exception {
        InetSocketAddress a = start(HttpServer.Limits.DEFAULT, pool(4, 16));
        Socket s = connect(a);
        s.getOutputStream().write(("GET /api/slow HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /api/fast HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        String both = read(s, "\"fast\"");
        assertThat(both.indexOf("\"slow\"")).isNotNegative().isLessThan(both.indexOf("\"fast\""));
        assertThat(both).contains("\"overlapped\":false");
    }

    @Test
    void anOversizedBodyIsRefusedFromItsContentLengthBeforeItIsSent() throws Exception {
        InetSocketAddress a = start(new HttpServer.Limits(64 * 1024, 16, Duration.ofSeconds(60)), pool(2, 16));
        Socket s = connect(a);
        // the header alone: a server that buffered first would wait here for 100 MB that never come
        s.getOutputStream().write(("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(read(s, "\r\n\r\n")).startsWith("HTTP/1.1 413");
        Socket ok = connect(a);
        ok.getOutputStream().write(("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close"
                + "\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
        assertThat(read(ok, null)).startsWith("HTTP/1.1 200").contains("\"bytes\":2");
    }

    @Test
    void aSlowClientIsClosedAfterTheIdleTimeout() throws Exception {
        InetSocketAddress a = start(new HttpServer.Limits(64 * 1024, 16, Duration.ofMillis(300)), pool(2, 16));
        Socket s = connect(a);
        s.getOutputStream().write("GET /api/fast HT".getBytes(StandardCharsets.US_ASCII)); // and then nothing
        assertThat(read(s, null)).isEmpty(); // closed without an answer
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAtOnce() throws Exception {
        InetSocketAddress a = start(new HttpServer.Limits(64 * 1024, 2, Duration.ofSeconds(60)), pool(2, 16));
        connect(a);
        connect(a);
        Socket third = connect(a);
        assertThat(read(third, null)).isEmpty();
    }

    @Test
    void aFullWorkerQueueAnswers503WithRetryAfter() throws Exception {
        ThreadPoolExecutor workers = (ThreadPoolExecutor) pool(1, 1);
        InetSocketAddress a = start(HttpServer.Limits.DEFAULT, workers);
        Socket first = connect(a);
        first.getOutputStream().write("GET /api/block HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Socket second = connect(a);
        second.getOutputStream().write("GET /api/block HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        // the first two take the worker and the queue's one place
        Await.until(Duration.ofSeconds(10),
                () -> workers.getActiveCount() >= 1 && workers.getQueue().remainingCapacity() == 0,
                () -> "the worker and the queue taken: " + workers);
        Socket s = connect(a);
        s.getOutputStream().write("GET /api/fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(read(s, null)).startsWith("HTTP/1.1 503").containsIgnoringCase("retry-after: 1");
        release.countDown();
        assertThat(read(first, "\"block\"")).startsWith("HTTP/1.1 200");
        assertThat(read(second, "\"block\"")).startsWith("HTTP/1.1 200");
    }
}
