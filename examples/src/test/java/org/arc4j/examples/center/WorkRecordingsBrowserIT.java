package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.testsupport.RealPeers;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.protocols.dc09.Dc09Key;
import org.arc4j.protocols.dc09.Dc09Path;
import org.arc4j.protocols.dc09.Dc09SendResult;
import org.arc4j.protocols.dc09.Dc09Transmitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * Operators' work recordings (GA 1383 记录存储与播放) in headless Chromium against the packaged centre: the operator
 * opens a police alarm's case in the console (the view is recorded), records the console tab (Chromium's
 * {@code --auto-accept-this-tab-capture} accepts {@code getDisplayMedia} for the current tab without a picker;
 * {@code MediaRecorder} cuts WebM every two seconds) and takes the case (the action is recorded). The case's work
 * record lists the view, the action and the uploaded chunks with the case; the chunks, read back and joined, are a
 * WebM that ffprobe decodes. A chunk made by ffmpeg goes through the same endpoint; bad chunks are refused.
 */
class WorkRecordingsBrowserIT {
    @TempDir
    Path dir;
    private CenterProcess centre;
    private HeadlessChromium chromium;
    private WebDriver browser;
    private final SystemScheduler scheduler = new SystemScheduler();

    @BeforeEach
    void start() throws Exception {
        RealPeers.requirePrograms("ffmpeg", "ffprobe");
        centre = CenterProcess.start(dir.resolve("data"), Map.of("ARC4J_ADMIN_PASSWORD",
                RemoteControlIT.ADMIN_PASSWORD), "--config", Path.of("config/center.yaml").toString());
        chromium = HeadlessChromium.start(dir.resolve("chromium-profile"), "--auto-accept-this-tab-capture", "--window-size=1280,800");
        browser = chromium.browser;
    }

    @AfterEach
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (centre != null) {
            centre.close();
        }
        scheduler.close();
    }

    @Test
    void theConsoleTabIsRecordedInChunksAndEveryViewAndActionOnTheCaseIsJournalled() throws Exception {
        CenterClient admin = new CenterClient(centre.base());
        assertThat(admin.login("admin", RemoteControlIT.ADMIN_PASSWORD).status()).isEqualTo(200);
        CenterClient op = RemoteControlIT.user(admin, "zhao", "operator", null);

        // a fire: forwarded to the police by the sample config's rule, so its records are kept forever
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", centre.dc09Tcp);
        try (Dc09Transmitter tx = Dc09Transmitter.builder(scheduler).path(Dc09Path.tcp(to)).account("1234")
                .key(Dc09Key.ofHex(ReferenceCenterTest.KEY)).build()) {
            assertThat(tx.sendSia("#1234|NFA003").toCompletableFuture().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(Dc09SendResult.Acknowledged.class);
        }
        String caseId = op.await("/api/cases", b -> b.path("cases").size() == 1).path("cases").get(0).path("id")
                .asText();

        chromium.login(centre.base() + "/", "zhao");
        chromium.waiting().until(d -> {
            d.findElement(By.cssSelector("#queue-table tbody tr[data-case-id='" + caseId + "']")).click();
            return true;
        });
        chromium.shown("#case-view");
        chromium.waiting().until(d -> caseId.equals(d.findElement(By.cssSelector("#case-view")).getAttribute("data-case-id")));

        chromium.shown("#screen-record").click();
        WebElement state = browser.findElement(By.cssSelector("#screen-record-state"));
        chromium.waiting().until(d -> state.getAttribute("data-error") != null
                || Integer.parseInt(state.getAttribute("data-chunks")) >= 3);
        assertThat(state.getAttribute("data-error")).as("tab capture in headless Chromium").isNull();
        assertThat(op.call("POST", "/api/cases/" + caseId + "/actions",
                CenterClient.JSON.readTree("{\"action\":\"take\"}")).status()).isEqualTo(200);
        browser.findElement(By.cssSelector("#screen-record")).click();
        String recording = state.getAttribute("data-recording");

        JsonNode records = admin.get("/api/work/cases/" + caseId).body().path("records");
        List<String> kinds = records.findValuesAsText("kind");
        assertThat(kinds).contains("view", "action", "screen-chunk");
        assertThat(records.findValuesAsText("by")).containsOnly("zhao");
        assertThat(records.findValuesAsText("what")).anyMatch(w -> w.equals("GET /api/cases/" + caseId))
                .anyMatch(w -> w.equals("POST /api/cases/" + caseId + "/actions take"));
        assertThat(records.toString()).doesNotContain("\"file\"");

        // the chunks joined are the WebM the browser recorded
        int chunks = 0;
        ByteArrayOutputStream webm = new ByteArrayOutputStream();
        for (JsonNode r : records) {
            if (r.path("kind").asText().equals("screen-chunk") && r.path("recording").asText().equals(recording)) {
                assertThat(r.path("seq").asInt()).isEqualTo(chunks);
                webm.write(get(admin, "/api/work/recordings/" + recording + "/chunks/" + chunks).body());
                chunks++;
            }
        }
        assertThat(chunks).isGreaterThanOrEqualTo(3);
        Path joined = Files.write(dir.resolve("screen.webm"), webm.toByteArray());
        assertThat(ffprobe(joined)).contains("codec_name=vp8").contains("format_name=matroska,webm");

        // the endpoint itself: ffmpeg's WebM, a repeated chunk, a wrong type, a first chunk that is no WebM
        Path made = dir.resolve("made.webm");
        Process ff = new ProcessBuilder("ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                "testsrc=size=320x240:rate=5", "-t", "2", "-c:v", "libvpx", "-b:v", "200k", made.toString())
                .redirectErrorStream(true).start();
        assertThat(ff.waitFor(60, TimeUnit.SECONDS) && ff.exitValue() == 0).isTrue();
        String id = op.call("POST", "/api/work/recordings", null).body().path("id").asText();
        byte[] bytes = Files.readAllBytes(made);
        assertThat(put(op, id, 0, "video/webm", bytes)).isEqualTo(201);
        assertThat(put(op, id, 0, "video/webm", bytes)).isEqualTo(201);
        assertThat(put(op, id, 1, "text/plain", bytes)).isEqualTo(415);
        String other = op.call("POST", "/api/work/recordings", null).body().path("id").asText();
        assertThat(put(op, other, 0, "video/webm", "not a webm".getBytes(StandardCharsets.UTF_8))).isEqualTo(400);
        assertThat(get(admin, "/api/work/recordings/" + id + "/chunks/0").body()).isEqualTo(bytes);
        assertThat(get(op, "/api/work/recordings/" + id + "/chunks/0").statusCode()).isEqualTo(403);
    }

    private int put(CenterClient c, String recording, int seq, String type, byte[] body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(centre.base()
                        + "/api/work/recordings/" + recording + "/chunks/" + seq)).header("Authorization", "Bearer "
                        + c.token()).header("Content-Type", type).PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpResponse<byte[]> get(CenterClient c, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(centre.base() + path))
                .header("Authorization", "Bearer " + c.token()).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String ffprobe(Path f) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ffprobe", "-v", "error", "-show_entries",
                "stream=codec_name:format=format_name", "-of", "default=noprint_wrappers=1", f.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
