package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.testsupport.RealPeers;
import org.arc4j.protocols.onvif.testkit.TestOnvifDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's video pages in headless Chromium against the packaged centre, with real cameras: GStreamer's RTSP
 * server ({@code gst_rtsp_server.py} of sdk-media's tests, through {@code /usr/bin/python3}) serving H.264 320×240
 * at 25 fps, one camera at 10 fps (too slow for verification) and one in H.265, and the ONVIF test device of
 * sdk-protocols' test kit for events, PTZ and the clock (42 s fast). One flow, as an operator works: the live view
 * plays four streams (a second viewer of a camera from the same shared live stream), moves a camera, goes to a
 * preset, opens a channel picked by device and tours the cameras, all or one category's; the H.265 camera is said to
 * be unplayable where the browser cannot decode it and shows its ONVIF snapshots instead; the camera table shows the slow camera's VIDEO_FAULT and the clock error; on the e-map,
 * motion on the camera turns its marker red and pops the alarm up; its case plays the pre-alarm video from 5 s
 * before the trigger at ≥ 15 decoded frames per second of media time, with ≥ 4 pictures per second; the case action
 * verify-start starts the pipeline's verification step; the case's clip is written and ffprobe reads it; a
 * supervisor uploads a plan, drags a camera marker and saves it, and opens the overview of all sites.
 * Screenshots go to {@code examples/target/screenshots/}.
 *
 * <p>Over 500 lines because it is one operator's (and then a supervisor's) flow through every video page against one
 * set of real cameras: starting the GStreamer servers, the ONVIF devices, the centre and Chromium once costs far more
 * CI time than the steps themselves.
 */
class VideoConsoleBrowserIT {
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String PYTHON = "/usr/bin/python3";
    private static final Path GST_SCRIPT = Path.of("../sdk-media/src/test/resources/rtsp/gst_rtsp_server.py");
    private static final String ADMIN_PASSWORD = "Hv6!tNs3#Qe8-wJx";
    private static final Path SHOTS = Path.of("target/screenshots");

    @TempDir
    Path dir;
    private final List<Process> cameras = new ArrayList<>();
    private TestOnvifDevice onvif;
    /** The H.265 camera's ONVIF side: its snapshots stand in for the video the browser cannot play. */
    private TestOnvifDevice onvif5;
    private CenterProcess centre;
    private WebDriver browser;
    private ChromeDriverService service;
    private CenterClient admin;
    private CenterClient op;

    @BeforeEach
    void start() throws Exception {
        RealPeers.require(Files.isExecutable(Path.of(CHROMEDRIVER)) && Files.isExecutable(Path.of(CHROMIUM)),
                "chromium and chromium-driver (Debian packages)");
        RealPeers.requirePrograms("ffmpeg", "ffprobe");
        RealPeers.require(Files.isExecutable(Path.of(PYTHON)) && Files.exists(GST_SCRIPT),
                "GStreamer's RTSP server for Python (Debian gir1.2-gst-rtsp-server-1.0 python3-gi python3-gst-1.0 "
                        + "gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly)");
        // the three 25 fps cameras have a microphone: G.711 A-law, 8 kHz, as RTP payload type 8
        String fast = rtsp(25, "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25"
                + " ! video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 audiotestsrc is-live=true wave=sine"
                + " samplesperbuffer=160 ! audio/x-raw,rate=8000,channels=1 ! alawenc ! rtppcmapay name=pay1 pt=8",
                "");
        // the 10 fps camera's microphone: AAC by RFC 3640 (mpeg4-generic, AAC-hbr), 16 kHz
        String slow = rtsp(10, "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=10"
                + " ! video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 audiotestsrc is-live=true wave=sine"
                + " ! audio/x-raw,rate=16000,channels=1 ! voaacenc ! rtpmp4gpay name=pay1 pt=97", "");
        String h265 = rtsp(15, "x265enc tune=zerolatency speed-preset=ultrafast key-int-max=15 ! rtph265pay");
        onvif = TestOnvifDevice.start(Clock.systemUTC(), "admin", "cam-Pass-2931");
        onvif.clockSkew(Duration.ofSeconds(42));
        onvif5 = TestOnvifDevice.start(Clock.systemUTC(), "admin", "cam-Pass-5517");
        Path plan = Path.of("config/plans/branch-floor1.svg").toAbsolutePath();
        String camera = "    - { id: %s, name: %s, site: S0001, zone: \"%s\", rtsp: \"%s\", %s preAlarm: 15s, x: %s, y: %s }\n";
        String yaml = "customers:\n"
                + "  - id: C0001\n    name: 东城支行\n    keyCustomer: true\n    sites:\n"
                + "      - id: S0001\n        name: 营业厅\n        plan: " + plan + "\n"
                + "        zones:\n          - { number: \"001\", name: 前门, x: 0.15, y: 0.80 }\n"
                + "          - { number: \"002\", name: 金库门, x: 0.70, y: 0.25 }\n"
                + "        accounts:\n          - { account: \"1234\", transport: IP }\n"
                // a camera without its own depth takes its customer's (GA 1383: per site or customer)
                + "video:\n  clipMax: 8s\n  preAlarmBy: { C0001: 20s }\n  cameras:\n"
                + String.format(camera, "cam1", "金库", "002", fast, "onvif: \"" + onvif.address()
                        + "\", username: admin, password: cam-Pass-2931,", "0.62", "0.30")
                + String.format(camera, "cam2", "前门", "001", fast, "category: 出入口,", "0.20", "0.75")
                + String.format(camera, "cam3", "大厅", "003", fast, "", "0.45", "0.55")
                + String.format(camera, "cam5", "侧门", "005", h265, "onvif: \"" + onvif5.address()
                        + "\", username: admin, password: cam-Pass-5517, category: 出入口,", "0.05", "0.40");
        Path config = Files.writeString(dir.resolve("center.yaml"), yaml);
        centre = CenterProcess.start(dir.resolve("data"), Map.of("ARC4J_ADMIN_PASSWORD", ADMIN_PASSWORD),
                "--config", config.toString());
        admin = new CenterClient(centre.base());
        assertThat(admin.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        // the fourth camera through the API: 10 fps, below the 15 fps verification needs
        ObjectNode cam4 = CenterClient.JSON.createObjectNode().put("name", "后门").put("site", "S0001")
                .put("zone", "004").put("rtsp", slow).put("x", 0.9).put("y", 0.8);
        assertThat(admin.call("PUT", "/api/video/cameras/cam4", cam4).status()).isEqualTo(200);
        ObjectNode bad = cam4.deepCopy().put("site", "nowhere");
        CenterClient.Reply refused = admin.call("PUT", "/api/video/cameras/cam5", bad);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().path("error").asText()).contains("site 'nowhere'");
        ObjectNode user = CenterClient.JSON.createObjectNode().put("username", "zhao")
                .put("password", "Init-Pass-5274!r").put("role", "operator");
        assertThat(admin.call("POST", "/api/users", user).status()).isEqualTo(201);
        op = new CenterClient(centre.base());
        op.login("zhao", "Init-Pass-5274!r");
        ObjectNode pw = CenterClient.JSON.createObjectNode().put("current", "Init-Pass-5274!r")
                .put("password", "Shift-Key-8391?m");
        assertThat(op.call("PUT", "/api/users/zhao/password", pw).status()).isEqualTo(200);
        op.login("zhao", "Shift-Key-8391?m");

        service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--autoplay-policy=no-user-gesture-required", "--lang=en-GB", "--window-size=1400,1000",
                // a headless window counts as hidden to the media pipeline, which would drop the pictures it
                // decodes instead of presenting them
                "--disable-renderer-backgrounding", "--disable-background-media-suspend",
                "--disable-backgrounding-occluded-windows", "--disable-background-timer-throttling",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        browser = new ChromeDriver(service, options);
    }

    /** Starts GStreamer's RTSP server with H.264 320×240 at the given frame rate; returns its URL. */
    private String rtsp(int fps) throws IOException {
        return rtsp(fps, "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=" + fps
                + " ! video/x-h264,profile=baseline ! rtph264pay");
    }

    /** Starts GStreamer's RTSP server with the given encoder and payloader; returns its URL. */
    private String rtsp(int fps, String encodeAndPay) throws IOException {
        return rtsp(fps, encodeAndPay, " name=pay0 pt=96");
    }

    /** Starts GStreamer's RTSP server with the given encoder and payloader, named by {@code pay}. */
    private String rtsp(int fps, String encodeAndPay, String pay) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String launch = "( videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=" + fps
                + "/1 ! " + encodeAndPay + pay + " )";
        Process p = new ProcessBuilder(PYTHON, GST_SCRIPT.toString(), "--port", Integer.toString(port), "--launch",
                launch, "--protocols", "tcp").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        cameras.add(p);
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        RealPeers.require(line == null || !line.startsWith("MISSING"), "GStreamer: " + line);
        assertThat(line).as("gst_rtsp_server.py").isEqualTo("READY");
        return "rtsp://127.0.0.1:" + port + "/test";
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (centre != null) {
            centre.close();
            Files.createDirectories(SHOTS);
            Files.write(SHOTS.resolve("centre.log"), centre.output);
        }
        if (onvif != null) {
            onvif.close();
        }
        if (onvif5 != null) {
            onvif5.close();
        }
        for (Process p : cameras) {
            p.getOutputStream().close(); // the script quits when its stdin closes
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private WebDriverWait waiting(int seconds) {
        WebDriverWait w = new WebDriverWait(browser, Duration.ofSeconds(seconds));
        w.ignoring(NoSuchElementException.class);
        w.ignoring(StaleElementReferenceException.class);
        return w;
    }

    private WebElement shown(String css) {
        return waiting(30).until(d -> {
            WebElement e = d.findElement(By.cssSelector(css));
            return e.isDisplayed() ? e : null;
        });
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private double number(String script, Object... args) {
        return ((Number) js(script, args)).doubleValue();
    }

    /** The video element's G.711 audio was decoded (at least a second of it) and Web Audio played some of it. */
    private void audioPlays(String css) {
        String v = "return Number(document.querySelector('" + css + "').dataset.";
        waiting(20).withMessage(() -> state(css)).until(d -> number(v + "audioDecoded || 0);") >= 8000
                && number(v + "audioPlayed || 0);") > 0);
        assertThat(js("return document.querySelector(arguments[0]).dataset.audio;", css)).isEqualTo("G711A");
        System.out.printf("%s: %.0f G.711 samples decoded, %.0f played%n", css, number(v + "audioDecoded);"),
                number(v + "audioPlayed);"));
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(SHOTS);
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /** Waits until a video's media time has advanced by {@code seconds} past where it is now. */
    private void advances(String css, double seconds) {
        waiting(40).withMessage(() -> state(css)).until(d -> number("var v=document.querySelector(arguments[0]); "
                + "return v ? v.currentTime : 0;", css) > 0.2);
        double t0 = number("return document.querySelector(arguments[0]).currentTime;", css);
        waiting(40).withMessage(() -> state(css)).until(d -> number("return document.querySelector(arguments[0])"
                + ".currentTime;", css) >= t0 + seconds);
    }

    /** What a video element is doing, for failure messages. */
    private String state(String css) {
        return String.valueOf(js("var v=document.querySelector(arguments[0]); if (!v) { return 'no element'; }"
                + " var q=v.getVideoPlaybackQuality(), r=[]; for (var i=0;i<v.buffered.length;i++) {"
                + " r.push(v.buffered.start(i).toFixed(2)+'-'+v.buffered.end(i).toFixed(2)); }"
                + " return 't='+v.currentTime+' ready='+v.readyState+' paused='+v.paused+' buffered='+r"
                + "+' visibility='+document.visibilityState+' frames='+q.totalVideoFrames+' dropped='+q.droppedVideoFrames+' data='"
                + "+JSON.stringify(v.dataset)+' error='+(v.error&&v.error.message);", css));
    }

    @Test
    void operatorWatchesLiveVideoSeesTheAlarmOnTheMapAndVerifiesItByVideo() throws Exception {
        browser.get(centre.base() + "/");
        assertThat(js("return MediaSource.isTypeSupported('video/mp4; codecs=\"avc1.42E01E\"');"))
                .as("this Chromium plays H.264 in Media Source Extensions").isEqualTo(true);
        shown("#username").sendKeys("zhao");
        browser.findElement(By.cssSelector("#password")).sendKeys("Shift-Key-8391?m");
        browser.findElement(By.cssSelector("#login-button")).click();
        waiting(30).until(d -> d.findElement(By.cssSelector("#connection")).getAttribute("class").contains("up"));

        // cameras are streaming and have filled most of their pre-alarm buffers
        JsonNode cams = op.await("/api/video/cameras", b -> {
            for (JsonNode c : b.path("cameras")) {
                if (c.path("bufferedSeconds").asDouble() < 8) {
                    return false;
                }
            }
            return b.path("cameras").size() == 5;
        });
        assertThat(cams.path("cameras").get(0).path("codec").asText()).isEqualTo("H264");
        assertThat(cams.path("cameras").get(0).path("preAlarmSeconds").asInt()).isEqualTo(15);
        assertThat(cams.path("cameras").get(3).path("preAlarmSeconds").asInt()).as("cam4: its customer's depth")
                .isEqualTo(20);

        // live view: four streams in the 4-screen layout, PTZ to the ONVIF camera
        browser.findElement(By.cssSelector("nav a[data-view='live']")).click();
        shown("#live-view");
        waiting(30).until(d -> d.findElements(By.cssSelector("#live-grid .tile video")).size() == 4);
        for (int i = 1; i <= 4; i++) {
            advances("#live-grid .tile:nth-child(" + i + ") video", 1.0);
        }
        // every live viewer of a camera shares the camera's one MseLiveStream: a second viewer of camera 1 plays too
        op.await("/api/video/cameras", b -> b.path("cameras").get(0).path("liveViewers").asInt() == 1);
        js("var v = document.createElement('video'); v.id = 'second-live'; v.muted = true;"
                + " document.body.appendChild(v); window.second = new window.arc4jVideo.Player(v, 'cam1', null, null);");
        op.await("/api/video/cameras", b -> b.path("cameras").get(0).path("liveViewers").asInt() == 2);
        advances("#second-live", 1.0);
        assertThat((String) js("return document.querySelector('#second-live').dataset.firstFrameAt;"))
                .isEqualTo(js("return document.querySelector('#live-grid .tile:nth-child(1) video')"
                        + ".dataset.firstFrameAt;"));
        js("window.second.close(); document.querySelector('#second-live').remove();");
        op.await("/api/video/cameras", b -> b.path("cameras").get(0).path("liveViewers").asInt() == 1);
        browser.findElement(By.cssSelector("#live-grid .tile:nth-child(1)")).click();
        long moves = onvif.count("ContinuousMove");
        browser.findElement(By.cssSelector("#ptz button[data-ptz='0.5,0,0']")).click();
        waiting(20).until(d -> onvif.count("ContinuousMove") > moves);
        // the selected camera's PTZ presets, and going to one
        waiting(20).until(d -> !d.findElements(By.cssSelector("#ptz-preset option")).isEmpty());
        long gotos = onvif.count("GotoPreset");
        browser.findElement(By.cssSelector("#ptz-goto")).click();
        waiting(20).until(d -> onvif.count("GotoPreset") > gotos);
        // the preset list follows the selected screen: screen 2 shows cam2, which has no ONVIF and so no presets;
        // back on screen 1, cam1's presets again, as many as the camera has
        int presets = browser.findElements(By.cssSelector("#ptz-preset option")).size();
        assertThat(presets).isEqualTo(op.get("/api/video/cameras/cam1/presets").body().path("presets").size());
        browser.findElement(By.cssSelector("#live-grid .tile:nth-child(2)")).click();
        assertThat(browser.findElement(By.cssSelector("#live-grid .tile:nth-child(2) .tile-label")).getText())
                .isEqualTo("cam2");
        waiting(20).until(d -> d.findElements(By.cssSelector("#ptz-preset option")).isEmpty());
        browser.findElement(By.cssSelector("#live-grid .tile:nth-child(1)")).click();
        waiting(20).until(d -> d.findElements(By.cssSelector("#ptz-preset option")).size() == presets);
        // browsing by device and channel: the three cameras of one RTSP server under one device; a channel opens in
        // the selected screen
        assertThat(browser.findElements(By.cssSelector("#camera-tree details"))).hasSize(3);
        assertThat(browser.findElements(By.cssSelector("#camera-tree details:has(a[data-camera='cam1']) a")))
                .hasSize(3);
        browser.findElement(By.cssSelector("#camera-tree a[data-camera='cam3']")).click();
        waiting(10).until(d -> "cam3".equals(d.findElement(By.cssSelector("#live-grid .tile:nth-child(1)"
                + " .tile-label")).getText()));
        // ... and the selected screen's preset list follows its new camera: cam3 has none
        waiting(20).until(d -> d.findElements(By.cssSelector("#ptz-preset option")).isEmpty());
        advances("#live-grid .tile:nth-child(1) video", 0.5);
        browser.findElement(By.cssSelector("#camera-tree a[data-camera='cam1']")).click();
        waiting(20).until(d -> d.findElements(By.cssSelector("#ptz-preset option")).size() == presets);
        screenshot("live-presets");
        // an H.265-only camera reaches the browser as hvc1, which it says it cannot play instead of showing black
        js("var v = document.createElement('video'); window.h265 = null; new window.arc4jVideo.Player(v, 'cam5', null,"
                + " function (m, playable) { window.h265 = [m.mime, playable, MediaSource.isTypeSupported(m.mime),"
                + " v.dataset.playable]; });");
        @SuppressWarnings("unchecked")
        List<Object> h265 = (List<Object>) waiting(30).until(d -> js("return window.h265;"));
        assertThat((String) h265.get(0)).startsWith("video/mp4; codecs=\"hvc1");
        assertThat(h265.get(1)).isEqualTo(h265.get(2));
        assertThat(h265.get(3)).isEqualTo(String.valueOf(h265.get(2)));
        System.out.printf("H.265 camera: %s, playable in this Chromium: %s%n", h265.get(0), h265.get(1));
        if (Boolean.FALSE.equals(h265.get(1))) {
            // ... and its live tile shows the camera's own pictures instead (ONVIF GetSnapshotUri, fetched by the
            // centre), one a second
            new Select(browser.findElement(By.cssSelector("#layout"))).selectByValue("9");
            long gets = onvif5.count("GET");
            waiting(30).until(d -> Integer.parseInt(d.findElement(By.cssSelector(
                    "#live-grid img.snapshot[data-camera='cam5']")).getAttribute("data-pictures")) >= 2);
            assertThat(onvif5.count("GetSnapshotUri")).isEqualTo(1);
            assertThat(onvif5.count("GET")).isGreaterThanOrEqualTo(gets + 2);
            assertThat(browser.findElement(By.cssSelector("#live-grid .tile:nth-child(5) video")).isDisplayed())
                    .isFalse();
            new Select(browser.findElement(By.cssSelector("#layout"))).selectByValue("4");
            waiting(30).until(d -> d.findElements(By.cssSelector("#live-grid .tile video")).size() == 4);
        }
        // the 10 fps camera's AAC is in its fMP4 and Chromium's Media Source Extensions decode it
        js("var v = document.createElement('video'); v.id = 'aac-video'; document.body.appendChild(v);"
                + " window.aac = new window.arc4jVideo.Player(v, 'cam4', null, null, true);");
        String aacBytes = "return document.querySelector('#aac-video').webkitAudioDecodedByteCount;";
        waiting(30).withMessage(() -> state("#aac-video")).until(d -> number(aacBytes) > 0);
        double aac0 = number(aacBytes);
        waiting(10).withMessage(() -> state("#aac-video")).until(d -> number(aacBytes) > aac0);
        assertThat((String) js("return document.querySelector('#aac-video').dataset.mime;")).contains("mp4a.40.2");
        System.out.printf("AAC camera: %s, %.0f audio bytes decoded%n",
                js("return document.querySelector('#aac-video').dataset.mime;"),
                number(aacBytes));
        js("window.aac.close(); document.querySelector('#aac-video').remove();");
        // the 10 fps camera is a VIDEO_FAULT on the console; the ONVIF camera's clock is 42 s fast
        WebElement slowRow = waiting(30).until(d -> {
            WebElement r = d.findElement(By.cssSelector("#camera-table tr[data-camera='cam4']"));
            return r.getAttribute("class").contains("fault") ? r : null;
        });
        assertThat(slowRow.getText()).contains("VIDEO_FAULT").contains("LOW_FRAME_RATE");
        WebElement onvifRow = browser.findElement(By.cssSelector("#camera-table tr[data-camera='cam1']"));
        JsonNode cam1 = op.await("/api/video/cameras", b -> !b.path("cameras").get(0).path("clockErrorSeconds")
                .isNull());
        assertThat(cam1.path("cameras").get(0).path("clockErrorSeconds").asDouble()).isBetween(40.0, 44.0);
        assertThat(onvifRow.getText()).doesNotContain("VIDEO_FAULT");
        // the device clock report lists it too, outside the 30 s tolerance (GA 1383 设备校时)
        JsonNode clocks = op.await("/api/devices/clock", b -> b.path("devices").findValuesAsText("device")
                .contains("camera cam1"));
        JsonNode cam1Clock = clocks.path("devices").findParents("device").stream()
                .filter(d -> d.path("device").asText().equals("camera cam1")).findFirst().orElseThrow();
        assertThat(cam1Clock.path("transport").asText()).isEqualTo("ONVIF");
        assertThat(cam1Clock.path("skewSeconds").asDouble()).isBetween(40.0, 44.0);
        assertThat(cam1Clock.path("withinTolerance").asBoolean()).isFalse();
        screenshot("live-view");
        // a tour in the 1-screen layout moves on to the next camera
        new Select(browser.findElement(By.cssSelector("#layout"))).selectByValue("1");
        waiting(10).until(d -> d.findElements(By.cssSelector("#live-grid .tile")).size() == 1);
        assertThat(browser.findElement(By.cssSelector("#live-grid .tile-label")).getText()).isEqualTo("cam1");
        WebElement every = browser.findElement(By.cssSelector("#tour-seconds"));
        every.clear();
        every.sendKeys("5");
        browser.findElement(By.cssSelector("#tour")).click();
        waiting(20).until(d -> "cam2".equals(d.findElement(By.cssSelector("#live-grid .tile-label")).getText()));
        advances("#live-grid .tile video", 0.5);
        // one camera on the screen: its G.711 comes raw beside the fMP4 and plays through Web Audio
        audioPlays("#live-grid .tile video");
        browser.findElement(By.cssSelector("#tour")).click();
        // a tour of one category: the entrances (cam2, then the H.265 cam5), not the others
        new Select(browser.findElement(By.cssSelector("#tour-by"))).selectByValue("category");
        new Select(browser.findElement(By.cssSelector("#tour-group"))).selectByValue("出入口");
        browser.findElement(By.cssSelector("#tour")).click();
        waiting(20).until(d -> "cam5".equals(d.findElement(By.cssSelector("#live-grid .tile-label")).getText()));
        waiting(20).until(d -> "cam2".equals(d.findElement(By.cssSelector("#live-grid .tile-label")).getText()));
        browser.findElement(By.cssSelector("#tour")).click();
        // ... a VIDEO_FAULT status event (quality statistics) and a repair ticket open while it lasts
        JsonNode slow = op.await("/api/video/cameras", b -> !b.path("cameras").get(3).path("ticket").isNull());
        assertThat(slow.path("cameras").get(3).path("ticket").asText()).startsWith("video-cam4-");
        assertThat(slow.path("cameras").get(3).path("fault").asText()).startsWith("LOW_FRAME_RATE");

        // e-map: motion on camera 1 turns its marker red and pops the alarm up
        browser.findElement(By.cssSelector("nav a[data-view='emap']")).click();
        WebElement marker = shown("#emap-map .emap-marker.camera[data-camera='cam1']");
        assertThat(marker.getAttribute("data-alarm")).isEqualTo("false");
        assertThat(marker.getCssValue("background-color")).isEqualTo("rgba(22, 163, 74, 1)");
        onvif.motion(true);
        WebElement red = waiting(30).until(d -> {
            WebElement m = d.findElement(By.cssSelector("#emap-map .emap-marker.camera[data-camera='cam1']"));
            return "true".equals(m.getAttribute("data-alarm")) ? m : null;
        });
        assertThat(red.getCssValue("background-color")).isEqualTo("rgba(220, 38, 38, 1)");
        // the zone the camera watches (002, the vault door) is in alarm too; the hall's front door is not
        assertThat(browser.findElement(By.cssSelector("#emap-map .emap-marker.zone[data-zone='002']"))
                .getAttribute("data-alarm")).isEqualTo("true");
        assertThat(browser.findElement(By.cssSelector("#emap-map .emap-marker.zone[data-zone='001']"))
                .getAttribute("data-alarm")).isEqualTo("false");
        WebElement popup = shown("#emap-popup a.emap-alarm");
        String caseId = popup.getAttribute("data-case-id");
        screenshot("emap-alarm");

        // the case: take it, then its pre-alarm video from 5 s before the trigger beside the live picture
        popup.click();
        shown("#case-view");
        shown("#case-actions form[data-action='take'] button[type=submit]").click();
        shown("#case-video");
        advances("#prealarm-video", 0.5);
        double t0 = number("return document.querySelector('#prealarm-video').currentTime;");
        double f0 = number("return document.querySelector('#prealarm-video').getVideoPlaybackQuality()"
                + ".totalVideoFrames;");
        double d0 = number("return document.querySelector('#prealarm-video').getVideoPlaybackQuality()"
                + ".droppedVideoFrames;");
        waiting(40).withMessage(() -> state("#prealarm-video"))
                .until(d -> number("return document.querySelector('#prealarm-video').currentTime;") >= t0 + 3);
        double t1 = number("return document.querySelector('#prealarm-video').currentTime;");
        double f1 = number("return document.querySelector('#prealarm-video').getVideoPlaybackQuality()"
                + ".totalVideoFrames;");
        double d1 = number("return document.querySelector('#prealarm-video').getVideoPlaybackQuality()"
                + ".droppedVideoFrames;");
        // the browser decoded at least 15 pictures per second of media time (GA 1383 报警复核); how many of them a
        // software compositor on a loaded machine also gets onto the screen is the machine's, so it is reported
        double decoded = (f1 - f0) / (t1 - t0);
        double presented = (f1 - f0 - (d1 - d0)) / (t1 - t0);
        System.out.printf("pre-alarm video: %.1f decoded and %.1f presented frames per second of media time%n",
                decoded, presented);
        assertThat(decoded).as("decoded frames per second of media time; %s", state("#prealarm-video"))
                .isGreaterThanOrEqualTo(15);
        audioPlays("#prealarm-video");
        advances("#case-live-video", 1.0);
        JsonNode video = op.get("/api/video/cases/" + caseId).body();
        Instant trigger = Instant.parse(video.path("triggerAt").asText());
        Instant firstFrame = Instant.parse((String) js(
                "return document.querySelector('#prealarm-video').dataset.firstFrameAt;"));
        assertThat(firstFrame).isBeforeOrEqualTo(trigger.minusSeconds(5));
        // picture verification: evenly spaced pictures, at least 4 per second of media time
        waiting(30).until(d -> d.findElements(By.cssSelector("#pictures img")).size() >= 12);
        @SuppressWarnings("unchecked")
        List<Object> times = (List<Object>) js("return Array.from(document.querySelectorAll('#pictures img'))"
                + ".map(function (i) { return Number(i.dataset.mediaTime); });");
        double first = ((Number) times.get(0)).doubleValue();
        long inTwoSeconds = times.stream().mapToDouble(x -> ((Number) x).doubleValue())
                .filter(x -> x >= first && x < first + 2).count();
        assertThat(inTwoSeconds).as("pictures in 2 s of media time: %s", times).isGreaterThanOrEqualTo(8);
        // verify-start is a case action like the others: it starts the verification step and its SLA clock
        WebElement start = shown("#case-actions form[data-action='verify-start']");
        new Select(start.findElement(By.cssSelector("select[name=method]"))).selectByValue("video");
        start.findElement(By.cssSelector("button[type=submit]")).click();
        JsonNode verifying = admin.await("/api/cases/" + caseId, b -> "VERIFYING".equals(b.path("state").asText()));
        boolean timed = false;
        for (JsonNode s : verifying.path("sla")) {
            timed |= "VERIFICATION".equals(s.path("step").asText());
        }
        assertThat(timed).as("the verification SLA step runs: %s", verifying.path("sla")).isTrue();
        js("document.querySelector('#case-video').scrollIntoView();");
        screenshot("case-video");

        // the case's clip from camera 1: pre-record plus 8 s of live video, fragmented MP4 that ffprobe reads
        JsonNode clips = op.await("/api/video/cases/" + caseId, b -> {
            for (JsonNode c : b.path("clips")) {
                if ("cam1".equals(c.path("camera").asText()) && "recorded".equals(c.path("state").asText())) {
                    return true;
                }
            }
            return false;
        });
        String file = null;
        for (JsonNode c : clips.path("clips")) {
            if ("cam1".equals(c.path("camera").asText())) {
                file = c.path("file").asText();
            }
        }
        assertThat(Path.of(file)).exists();
        Process probe = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries",
                "stream=codec_name,width,height:format=duration:format_tags=comment", "-of", "default=nw=1", file)
                .redirectErrorStream(true).start();
        String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(probe.exitValue()).as(out).isZero();
        // ... with the camera's G.711 sound beside the pictures
        assertThat(out).contains("codec_name=h264").contains("codec_name=pcm_alaw").contains("width=320")
                .contains("height=240")
                .contains("case " + caseId);
        double duration = Double.parseDouble(out.lines().filter(l -> l.startsWith("duration=")).findFirst()
                .orElseThrow().substring(9));
        assertThat(duration).as(out).isGreaterThan(14);

        // the administrator may configure cameras but not watch them: the video socket closes with 1008
        java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();
        java.net.http.HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(java.net.URI.create(
                centre.base().replace("http", "ws") + "/ws/video?camera=cam1&token=" + admin.token()),
                new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket w, int code,
                                                                           String reason) {
                        closed.complete(code);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);

        // a camera removed through the API is gone
        assertThat(admin.call("DELETE", "/api/video/cameras/cam4", null).status()).isEqualTo(200);
        assertThat(admin.call("DELETE", "/api/video/cameras/cam4", null).status()).isEqualTo(404);
        assertThat(op.get("/api/video/cameras").body().path("cameras").size()).isEqualTo(4);

        // the test camera reported that one motion twice (VideoSource/MotionAlarm on VideoSource_1 and the cell
        // motion detector on configuration VideoSourceToken): one case
        List<JsonNode> fromCam1 = new ArrayList<>();
        op.get("/api/cases").body().path("cases").forEach(c -> {
            if (c.path("account").asText().equals("cam1")) {
                fromCam1.add(c);
            }
        });
        assertThat(fromCam1).as("cases from cam1").singleElement()
                .satisfies(c -> assertThat(c.path("id").asText()).isEqualTo(caseId));

        emapEditor(caseId);
    }

    /**
     * E-map management (GA 1383 电子地图管理) by a supervisor in the same console: an image that is no plan is refused
     * naming the limit; a PNG plan is uploaded; camera 1's marker dragged and saved lands where it was dropped
     * (journalled, audited); the overview of all sites shows the site of the open case in red and opens its plan.
     */
    private void emapEditor(String caseId) throws Exception {
        ObjectNode user = CenterClient.JSON.createObjectNode().put("username", "qian")
                .put("password", "Init-Pass-7730!k").put("role", "supervisor");
        assertThat(admin.call("POST", "/api/users", user).status()).isEqualTo(201);
        CenterClient sup = new CenterClient(centre.base());
        sup.login("qian", "Init-Pass-7730!k");
        assertThat(sup.call("PUT", "/api/users/qian/password", CenterClient.JSON.createObjectNode()
                .put("current", "Init-Pass-7730!k").put("password", "Map-Edit-4417?q")).status()).isEqualTo(200);
        sup.login("qian", "Map-Edit-4417?q");
        CenterClient.Reply notPlan = sup.call("PUT", "/api/video/emap/S0001/plan",
                CenterClient.JSON.createObjectNode().put("not", "an image"));
        assertThat(notPlan.status()).isEqualTo(400);
        assertThat(notPlan.body().path("error").asText()).isEqualTo("a plan image must be PNG, JPEG or SVG");
        // an operator may look at the map but not change it
        assertThat(op.call("PUT", "/api/video/emap/S0001/positions", CenterClient.JSON.readTree(
                "{\"markers\":{\"camera:cam1\":{\"x\":0.1,\"y\":0.1}}}")).status()).isEqualTo(403);

        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(640, 400,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 640, 400);
        g.setColor(java.awt.Color.DARK_GRAY);
        g.setStroke(new java.awt.BasicStroke(6));
        g.drawRect(20, 20, 600, 360);
        g.drawLine(320, 20, 320, 250);
        g.dispose();
        Path png = dir.resolve("floor2.png");
        javax.imageio.ImageIO.write(img, "png", png.toFile());

        browser.navigate().to(centre.base() + "/");
        js("sessionStorage.setItem('arc4j.token', arguments[0]);", sup.token());
        browser.navigate().refresh();
        waiting(30).until(d -> d.findElement(By.cssSelector("#connection")).getAttribute("class").contains("up"));
        browser.findElement(By.cssSelector("nav a[data-view='emap']")).click();
        shown("#emap-map .emap-marker.camera[data-camera='cam1']");
        browser.findElement(By.cssSelector("#emap-edit")).click();
        shown("#emap-file").sendKeys(png.toString());
        browser.findElement(By.cssSelector("#emap-upload")).click();
        waiting(20).until(d -> d.findElement(By.cssSelector("#emap-image")).getAttribute("src")
                .startsWith("data:image/png"));
        waiting(20).until(d -> number("return document.querySelector('#emap-image').naturalWidth;") == 640);
        // drag camera 1 to the middle of the plan's left half and save
        WebElement map = browser.findElement(By.cssSelector("#emap-map"));
        WebElement cam1 = shown("#emap-map .emap-marker.camera[data-camera='cam1']");
        org.openqa.selenium.Rectangle r = map.getRect();
        org.openqa.selenium.Rectangle m = cam1.getRect();
        int dx = (int) Math.round(r.getX() + r.getWidth() * 0.25 - (m.getX() + m.getWidth() / 2.0));
        int dy = (int) Math.round(r.getY() + r.getHeight() * 0.5 - (m.getY() + m.getHeight() / 2.0));
        new org.openqa.selenium.interactions.Actions(browser).clickAndHold(cam1).moveByOffset(dx / 2, dy / 2)
                .moveByOffset(dx - dx / 2, dy - dy / 2).release().perform();
        browser.findElement(By.cssSelector("#emap-save")).click();
        waiting(20).until(d -> d.findElement(By.cssSelector("#emap-status")).getText().startsWith("saved"));
        JsonNode emap = sup.get("/api/video/emap").body();
        JsonNode placed = emap.path("sites").get(0).path("cameras").findParents("id").stream()
                .filter(c -> c.path("id").asText().equals("cam1")).findFirst().orElseThrow();
        assertThat(placed.path("x").asDouble()).isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.03));
        assertThat(placed.path("y").asDouble()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.03));
        assertThat(emap.path("sites").get(0).path("planImage").asText()).startsWith("data:image/png;base64,");
        screenshot("emap-editor");
        emapAnnotations(sup, map);
        // the overview of all sites: the site with the open case is red, and opens its plan
        browser.findElement(By.cssSelector("#emap-edit")).click();
        new Select(browser.findElement(By.cssSelector("#emap-site"))).selectByValue("overview");
        WebElement site = shown("#emap-map .emap-marker.site[data-site='S0001']");
        assertThat(site.getAttribute("data-alarm")).isEqualTo("true");
        assertThat(shown("#emap-popup a.emap-alarm[data-case-id='" + caseId + "']").isDisplayed()).isTrue();
        screenshot("emap-overview");
        site.click();
        shown("#emap-map .emap-marker.camera[data-camera='cam1']");
        assertThat(browser.findElement(By.cssSelector("#emap-site")).getAttribute("value")).isEqualTo("S0001");
    }

    private JsonNode annotations(CenterClient sup) throws Exception {
        return sup.get("/api/video/emap").body().path("sites").get(0).path("annotations");
    }

    private JsonNode annotation(CenterClient sup, String kind) throws Exception {
        for (JsonNode a : annotations(sup)) {
            if (a.path("kind").asText().equals(kind)) {
                return a;
            }
        }
        return null;
    }

    /** Clicks the plan at a point given as fractions of its width and height. */
    private void clickPlan(WebElement map, double fx, double fy) {
        org.openqa.selenium.Rectangle r = map.getRect();
        new org.openqa.selenium.interactions.Actions(browser).moveToElement(map,
                (int) Math.round((fx - 0.5) * r.getWidth()), (int) Math.round((fy - 0.5) * r.getHeight())).click()
                .perform();
    }

    /**
     * Annotating the plan (GA 1383 电子地图管理): a text placed by a click, an area and a line drawn point by point;
     * the text dragged elsewhere and its words changed; the area removed. Each change is saved at once, journalled
     * (the journal's replay is EmapEditsTest's) and audited.
     */
    private void emapAnnotations(CenterClient sup, WebElement map) throws Exception {
        org.assertj.core.data.Offset<Double> near = org.assertj.core.data.Offset.offset(0.03);
        new Select(browser.findElement(By.cssSelector("#emap-ann-kind"))).selectByValue("text");
        shown("#emap-ann-text").sendKeys("消防通道");
        browser.findElement(By.cssSelector("#emap-ann-add")).click();
        clickPlan(map, 0.75, 0.65);
        WebElement note = waiting(20).until(d -> d.findElements(By.cssSelector("#emap-map .emap-note[data-kind='text']"))
                .stream().findFirst().orElse(null));
        assertThat(note.getText()).isEqualTo("消防通道");
        JsonNode text = annotation(sup, "text");
        assertThat(text.path("points").get(0).path("x").asDouble()).isCloseTo(0.75, near);
        assertThat(text.path("points").get(0).path("y").asDouble()).isCloseTo(0.65, near);

        new Select(browser.findElement(By.cssSelector("#emap-ann-kind"))).selectByValue("area");
        WebElement words = browser.findElement(By.cssSelector("#emap-ann-text"));
        words.clear();
        words.sendKeys("库区");
        browser.findElement(By.cssSelector("#emap-ann-add")).click();
        clickPlan(map, 0.05, 0.05);
        clickPlan(map, 0.3, 0.05);
        clickPlan(map, 0.3, 0.3);
        clickPlan(map, 0.05, 0.3);
        waiting(10).until(d -> "4".equals(d.findElement(By.cssSelector("#emap-ann .emap-drawing"))
                .getAttribute("data-points")));
        browser.findElement(By.cssSelector("#emap-ann-done")).click();
        shown("#emap-ann polygon.emap-annotation[data-kind='area']");
        assertThat(annotation(sup, "area").path("points")).hasSize(4);
        assertThat(annotation(sup, "area").path("text").asText()).isEqualTo("库区");

        new Select(browser.findElement(By.cssSelector("#emap-ann-kind"))).selectByValue("line");
        words = browser.findElement(By.cssSelector("#emap-ann-text"));
        words.clear();
        browser.findElement(By.cssSelector("#emap-ann-add")).click();
        clickPlan(map, 0.4, 0.85);
        clickPlan(map, 0.9, 0.95);
        browser.findElement(By.cssSelector("#emap-ann-done")).click();
        shown("#emap-ann polyline.emap-annotation[data-kind='line']");
        JsonNode line = annotation(sup, "line");
        assertThat(line.path("points")).hasSize(2);
        assertThat(line.path("points").get(1).path("x").asDouble()).isCloseTo(0.9, near);
        assertThat(line.path("points").get(1).path("y").asDouble()).isCloseTo(0.95, near);

        // the text dragged 15 % of the plan to the left
        note = shown("#emap-map .emap-note[data-kind='text']");
        int dx = (int) Math.round(-0.15 * map.getRect().getWidth());
        new org.openqa.selenium.interactions.Actions(browser).clickAndHold(note).moveByOffset(dx / 2, 0)
                .moveByOffset(dx - dx / 2, 0).release().perform();
        waiting(20).until(d -> {
            try {
                return Math.abs(annotation(sup, "text").path("points").get(0).path("x").asDouble() - 0.6) < 0.03;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // its words changed: picked, edited, saved
        shown("#emap-map .emap-note[data-kind='text']").click();
        words = browser.findElement(By.cssSelector("#emap-ann-text"));
        assertThat(words.getAttribute("value")).isEqualTo("消防通道");
        words.clear();
        words.sendKeys("消防通道 Fire lane");
        browser.findElement(By.cssSelector("#emap-ann-update")).click();
        waiting(20).until(d -> "消防通道 Fire lane".equals(d.findElement(By.cssSelector(
                "#emap-map .emap-note[data-kind='text']")).getText()));
        assertThat(annotation(sup, "text").path("text").asText()).isEqualTo("消防通道 Fire lane");
        assertThat(annotation(sup, "text").path("points").get(0).path("x").asDouble()).isCloseTo(0.6, near);
        // the area removed
        String area = annotation(sup, "area").path("id").asText();
        new org.openqa.selenium.interactions.Actions(browser).moveToElement(map,
                (int) Math.round((0.17 - 0.5) * map.getRect().getWidth()),
                (int) Math.round((0.17 - 0.5) * map.getRect().getHeight())).click().perform();
        waiting(10).until(d -> d.findElement(By.cssSelector("#emap-ann polygon.emap-annotation"))
                .getAttribute("class").contains("selected"));
        browser.findElement(By.cssSelector("#emap-ann-delete")).click();
        waiting(20).until(d -> d.findElements(By.cssSelector("#emap-ann polygon.emap-annotation")).isEmpty());
        assertThat(annotations(sup)).extracting(a -> a.path("kind").asText()).containsExactlyInAnyOrder("text",
                "line");
        screenshot("emap-annotations");
        // every change audited with who made it
        JsonNode audit = admin.get("/api/audit?target=emap:S0001").body().path("entries");
        List<String> details = new ArrayList<>();
        audit.forEach(e -> {
            if (e.path("actor").asText().equals("qian")) {
                details.add(e.path("details").toString());
            }
        });
        assertThat(details).anySatisfy(d -> assertThat(d).contains("\"kind\":\"area\""))
                .anySatisfy(d -> assertThat(d).contains("Fire lane"))
                .anySatisfy(d -> assertThat(d).contains("\"removedAnnotation\":\"" + area + "\""));
    }
}
