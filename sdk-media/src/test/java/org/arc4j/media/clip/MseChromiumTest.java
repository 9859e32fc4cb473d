package org.arc4j.media.clip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.testsupport.RealPeers;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.FfmpegPeer;
import org.arc4j.media.video.VideoCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser plays {@link MseLiveStream}: headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}) opens a small page from a test HTTP server, which appends what a viewer of the stream
 * gets (the initialisation segment with its MIME type, then each media segment) to a {@code SourceBuffer}. The
 * stream is H.264 that ffmpeg encodes from its test pattern; the page joins after the first second of it, as a
 * late viewer. The video must buffer, play ({@code currentTime} advancing) and raise no error.
 */
class MseChromiumTest {
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String PAGE = """
            <!doctype html><html><body><video id="v" muted autoplay playsinline></video><script>
            const video = document.getElementById('v');
            window.result = {errors: [], appended: 0, done: false};
            video.addEventListener('error', () => result.errors.push('video: ' + (video.error && video.error.message)));
            const ms = new MediaSource();
            video.src = URL.createObjectURL(ms);
            ms.addEventListener('sourceopen', async () => {
              try {
                const init = await fetch('/init');
                result.type = init.headers.get('X-Mime');
                result.supported = MediaSource.isTypeSupported(result.type);
                result.hevcSupported = MediaSource.isTypeSupported('video/mp4; codecs="hvc1.1.6.L93.B0"');
                const sb = ms.addSourceBuffer(result.type);
                const append = bytes => new Promise((ok, ko) => {
                  sb.addEventListener('updateend', ok, {once: true});
                  sb.addEventListener('error', () => ko(new Error('SourceBuffer error')), {once: true});
                  sb.appendBuffer(bytes);
                });
                await append(await init.arrayBuffer());
                for (let n = 0; ; n++) {
                  const s = await fetch('/segment/' + n);
                  if (s.status !== 200) break;
                  await append(await s.arrayBuffer());
                  result.appended++;
                  if (n === 0) {
                    result.firstBuffered = sb.buffered.start(0);
                    video.currentTime = sb.buffered.start(0);
                    video.play().catch(e => result.errors.push('play: ' + e));
                  }
                }
                result.done = true;
              } catch (e) {
                result.errors.push(String(e));
              }
            });
            </script></body></html>
            """;

    @TempDir
    Path dir;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    /** Six seconds of ffmpeg's test pattern as H.264 (High, 4:2:0, a key frame every 25), as access units. */
    static List<AccessUnit> ffmpegH264() throws Exception {
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                "testsrc=size=320x240:rate=25", "-t", "6", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-bf", "0",
                "-g", "25", "-bsf:v", "h264_mp4toannexb", "-f", "h264", "-")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] annexB = p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        return Fmp4WriterTest.units(annexB, 90_000);
    }

    @Test
    void chromiumPlaysTheSegmentsOfALiveH264StreamItJoinedLate() throws Exception {
        FfmpegPeer.require();
        RealPeers.require(Files.isExecutable(Path.of(CHROMEDRIVER)) && Files.isExecutable(Path.of(CHROMIUM)),
                "chromium and chromium-driver (Debian packages)");
        List<AccessUnit> units = ffmpegH264();
        assertThat(units).hasSize(150);

        ExecutorService delivery = Executors.newSingleThreadExecutor();
        resources.add(delivery::shutdownNow);
        MseLiveStream stream = MseLiveStream.builder().video(VideoCodec.H264).executor(delivery).build();
        LiveServer server = new LiveServer(stream);
        resources.add(server);

        // the camera: the first second before anyone watches, the rest in real time once the page has joined
        CountDownLatch joined = server.joined;
        Thread camera = new Thread(() -> {
            try {
                for (int i = 0; i < units.size(); i++) {
                    if (i == 30) {
                        joined.await();
                    }
                    if (i > 30) {
                        Thread.sleep(40);
                    }
                    stream.video(units.get(i));
                }
                stream.flush();
                server.ended = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "camera");
        camera.setDaemon(true);
        camera.start();
        resources.add(camera::interrupt);

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        resources.add(service::stop);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--autoplay-policy=no-user-gesture-required",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        WebDriver browser = new ChromeDriver(service, options);
        resources.add(browser::quit);
        JavascriptExecutor js = (JavascriptExecutor) browser;
        browser.get("http://127.0.0.1:" + server.port() + "/");

        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(d -> Boolean.TRUE.equals(js.executeScript("return result.done || result.errors.length > 0")));
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) js.executeScript("return result");
        assertThat((List<?>) result.get("errors")).as("page errors").isEmpty();
        assertThat(result.get("type")).isEqualTo(stream.mimeType());
        assertThat(result.get("supported")).isEqualTo(true);
        // joined late: the first segment it got is the second group of pictures, one second in
        assertThat(((Number) result.get("firstBuffered")).doubleValue()).isBetween(0.9, 1.1);
        assertThat(((Number) result.get("appended")).intValue()).isEqualTo(5);
        // the whole rest of the stream is buffered, seconds 1 to 6, in one range
        assertThat(((Number) js.executeScript("return video.buffered.length")).intValue()).isEqualTo(1);
        assertThat(((Number) js.executeScript("return video.buffered.end(0)")).doubleValue()).isBetween(5.9, 6.1);
        // and it plays: the clock moves on and frames are decoded at the picture size of the stream
        double before = ((Number) js.executeScript("return video.currentTime")).doubleValue();
        wait.until(d -> ((Number) js.executeScript("return video.currentTime")).doubleValue() > before + 0.5
                || ((Number) js.executeScript("return video.currentTime")).doubleValue() > 5.5);
        assertThat(((Number) js.executeScript("return video.videoWidth")).intValue()).isEqualTo(320);
        assertThat(((Number) js.executeScript("return video.getVideoPlaybackQuality().totalVideoFrames"))
                .intValue()).isGreaterThan(10);
        assertThat(js.executeScript("return video.error")).isNull();
        assertThat((List<?>) js.executeScript("return result.errors")).isEmpty();
        assertThat(server.subscription.droppedSegments()).isZero();
    }

    /**
     * The smallest HTTP/1.1 server the page needs: {@code /} the page, {@code /init} subscribes a viewer and answers
     * its initialisation segment with the type in {@code X-Mime}, {@code /segment/N} its next media segment (204 at
     * the end). One connection at a time, each closed after its answer.
     */
    static final class LiveServer implements AutoCloseable {
        final CountDownLatch joined = new CountDownLatch(1);
        final BlockingQueue<byte[]> segments = new LinkedBlockingQueue<>();
        final CountDownLatch initReady = new CountDownLatch(1);
        final MseLiveStream stream;
        volatile boolean ended;
        volatile String mime;
        volatile byte[] init;
        volatile MseLiveStream.Subscription subscription;
        private final ServerSocket socket;
        private final Thread thread;

        LiveServer(MseLiveStream stream) throws IOException {
            this.stream = stream;
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            thread = new Thread(this::serve, "mse-http");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket c = socket.accept()) {
                    c.setSoTimeout(10_000);
                    String path = requestPath(c.getInputStream());
                    answer(c.getOutputStream(), path);
                } catch (IOException | InterruptedException e) {
                    if (socket.isClosed()) {
                        return;
                    }
                }
            }
        }

        private void answer(OutputStream out, String path) throws IOException, InterruptedException {
            if (path.equals("/")) {
                send(out, 200, "text/html; charset=utf-8", Map.of(), PAGE.getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/init")) {
                subscription = stream.subscribe(new MseLiveStream.Listener() {
                    @Override
                    public void onInit(String mimeType, byte[] segment) {
                        mime = mimeType;
                        init = segment;
                        initReady.countDown();
                    }

                    @Override
                    public void onSegment(Fmp4Segmenter.Segment segment) {
                        segments.add(segment.bytes());
                    }

                    @Override
                    public void onUnplayable(MseLiveStream.Unplayable notice) {
                        throw new AssertionError(notice.toString());
                    }
                });
                joined.countDown();
                initReady.await(10, TimeUnit.SECONDS);
                send(out, 200, "video/mp4", Map.of("X-Mime", mime), init);
            } else if (path.startsWith("/segment/")) {
                byte[] s = null;
                while (s == null && !(ended && segments.isEmpty())) {
                    s = segments.poll(100, TimeUnit.MILLISECONDS);
                }
                if (s == null) {
                    send(out, 204, "text/plain", Map.of(), new byte[0]);
                } else {
                    send(out, 200, "video/mp4", Map.of(), s);
                }
            } else {
                send(out, 404, "text/plain", Map.of(), new byte[0]);
            }
        }

        private static String requestPath(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                head.append((char) b);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    break;
                }
            }
            String[] line = head.toString().split("\r\n", 2)[0].split(" ");
            return line.length > 1 ? line[1] : "";
        }

        private static void send(OutputStream out, int status, String type, Map<String, String> headers, byte[] body)
                throws IOException {
            StringBuilder h = new StringBuilder("HTTP/1.1 ").append(status).append(status == 200 ? " OK" : " -")
                    .append("\r\nContent-Type: ").append(type).append("\r\nContent-Length: ").append(body.length)
                    .append("\r\nCache-Control: no-store\r\nConnection: close\r\n");
            headers.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
            out.write(h.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            if (subscription != null) {
                subscription.close();
            }
        }
    }
}
