package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.testsupport.RealPeers;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.gb28181.manscdp.PtzCmd;
import org.arc4j.gb28181.media.MediaFailure;
import org.arc4j.gb28181.media.MediaFailureException;
import org.arc4j.gb28181.media.MediaListener;
import org.arc4j.gb28181.media.MediaRequest;
import org.arc4j.gb28181.media.MediaSession;
import org.arc4j.gb28181.media.MediaTransport;
import org.arc4j.gb28181.platform.GbChannel;
import org.arc4j.gb28181.platform.GbPlatform;
import org.arc4j.gb28181.platform.GbPlatformConfig;
import org.arc4j.gb28181.platform.GbSubscription;
import org.arc4j.media.clip.Fmp4Writer;
import org.arc4j.media.ps.PsStreamType;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.VideoCodec;
import org.arc4j.protocols.dc09.Dc09Key;
import org.arc4j.protocols.dc09.Dc09Path;
import org.arc4j.protocols.dc09.Dc09SendResult;
import org.arc4j.protocols.dc09.Dc09Transmitter;
import org.arc4j.protocols.onvif.testkit.TestOnvifDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference centre under two upper platforms, both the SDK's {@link GbPlatform}: the police platform sees every
 * customer, a customer's platform ({@code customers: [C0002]}) only its own. An RTSP camera of the video section
 * (GStreamer's RTSP server: H.264 320×240 with G.711 A-law sound, and the test ONVIF device for PTZ) is exported to
 * the police, which plays it over RTP over TCP through the centre ({@code VideoService.relay}, re-muxed to PS) and
 * ffprobe reads what it received as the camera's pictures; the police's PTZ reaches the camera as ONVIF
 * ContinuousMove. The customer's platform does not see the camera (404 to its INVITE) nor get the other customer's
 * alarm; a new case goes to the police's alarm subscription. A camera with AAC sound added through the API reaches
 * the police's catalog subscription at once and its sound arrives as ADTS, which ffprobe reads. Closing the centre
 * un-registers it from both.
 */
class CascadeWiringIT {
    static final String KEY = "3A7F19C2E84B6D05F1A2C9E7B3D48E61";
    static final String ADMIN_PASSWORD = "Qz7!mVr2#Lp9-xWt";
    static final String CENTRE = "34020000002000000002";
    static final String POLICE = "11000000002000000001";
    static final String CUSTOMER = "11000000002000000002";
    static final String PASSWORD = "Up-Cascade-2026";
    static final String PYTHON = "/usr/bin/python3";
    static final Path GST_SCRIPT = Path.of("../sdk-media/src/test/resources/rtsp/gst_rtsp_server.py");

    final SystemScheduler scheduler = new SystemScheduler();
    final InMemoryAlarmIntake policeIntake = new InMemoryAlarmIntake(scheduler.clock());
    final InMemoryAlarmIntake customerIntake = new InMemoryAlarmIntake(scheduler.clock());
    final InMemoryCredentialStore vault = new InMemoryCredentialStore();
    final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    final List<AutoCloseable> closeables = new ArrayList<>();
    final List<Process> cameras = new ArrayList<>();
    ReferenceCenter centre;

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        if (centre != null) {
            centre.close();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
        for (Process camera : cameras) {
            camera.getOutputStream().close(); // the script quits when its stdin closes
            if (!camera.waitFor(5, TimeUnit.SECONDS)) {
                camera.destroyForcibly();
            }
        }
        policeIntake.close();
        customerIntake.close();
        scheduler.close();
    }

    GbPlatform upper(String id, InMemoryAlarmIntake intake) throws InterruptedException {
        GbPlatform p = GbPlatform.start(GbPlatformConfig.builder(id).bindHost("127.0.0.1").udpPort(0).tcpPort(-1)
                .build(), scheduler, intake, new InMemorySupervisor(scheduler), vault, new SimpleMetrics());
        closeables.add(p);
        return p;
    }

    @Test
    void twoUppersSeeTheirCustomersAndThePolicePlaysAndTurnsAnRtspCamera() throws Exception {
        RealPeers.requirePrograms("ffmpeg", "ffprobe");
        RealPeers.require(Files.isExecutable(Path.of(PYTHON)) && Files.exists(GST_SCRIPT),
                "GStreamer's RTSP server for Python (Debian gir1.2-gst-rtsp-server-1.0 python3-gi python3-gst-1.0 "
                        + "gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly)");
        String rtsp = rtspCamera();
        TestOnvifDevice onvif = TestOnvifDevice.start(Clock.systemUTC(), "admin", "cam-Pass-2931");
        closeables.add(onvif);
        vault.put(CredentialKey.of(CredentialKind.SIP_PASSWORD, CENTRE),
                new Credential(CENTRE, Secret.ofUtf8(PASSWORD), Map.of()));
        GbPlatform police = upper(POLICE, policeIntake);
        GbPlatform customer = upper(CUSTOMER, customerIntake);

        String yaml = Files.readString(Path.of("config/center.yaml"), StandardCharsets.UTF_8).replace("gb28181:\n",
                "gb28181:\n  cascade:\n    id: \"" + CENTRE + "\"\n    port: 0\n    uppers:\n"
                        + "      - { id: \"" + POLICE + "\", host: 127.0.0.1, port: "
                        + police.stack().udpAddress().getPort() + ", password: \"" + PASSWORD
                        + "\", recipient: police }\n"
                        + "      - { id: \"" + CUSTOMER + "\", host: 127.0.0.1, port: "
                        + customer.stack().udpAddress().getPort() + ", password: \"" + PASSWORD
                        + "\", recipient: home-platform, customers: [C0002] }\n")
                + "\nvideo:\n  cameras:\n    - { id: cam1, name: 金库, site: S0001, zone: \"002\", rtsp: \"" + rtsp
                + "\", onvif: \"" + onvif.address() + "\", username: admin, password: cam-Pass-2931 }\n";
        Files.createDirectories(dir.resolve("plans"));
        Files.copy(Path.of("config/plans/branch-floor1.svg"), dir.resolve("plans/branch-floor1.svg"));
        Files.writeString(dir.resolve("center.yaml"), yaml, StandardCharsets.UTF_8);
        CenterOptions o = CenterOptions.parse("--data", dir.resolve("data").toString(), "--http", "0",
                "--dc09-tcp", "0", "--dc09-udp", "0", "--sip", "0", "--pstn-sip", "0", "--bind", "127.0.0.1",
                "--config", dir.resolve("center.yaml").toString());
        centre = ReferenceCenter.start(o, Map.of("ARC4J_ADMIN_PASSWORD", ADMIN_PASSWORD),
                new PrintStream(terminal, true, StandardCharsets.UTF_8));

        // the catalogs: the police sees both customers, the RTSP camera and the GB/T 28181 device; the customer's
        // platform only its customer, site and two zones
        await("both catalogs", () -> channels(police).size() == 11 && channels(customer).size() == 4);
        GbChannel cam = channels(police).values().stream().filter(c -> c.name().equals("金库")).findFirst()
                .orElseThrow();
        assertThat(cam.id()).startsWith("3402000000131");
        assertThat(channels(customer).values()).extracting(GbChannel::name)
                .containsExactlyInAnyOrder("示例小区 3 号楼 501", "住宅", "入户门", "烟感");

        // live video through the centre, over TCP with the upper listening, with the camera's sound
        Recorder above = new Recorder();
        MediaSession s = police.invite(MediaRequest.live(CENTRE, cam.id()).withTransport(MediaTransport.TCP_PASSIVE),
                above).get(20, TimeUnit.SECONDS);
        await("50 pictures and 50 audio frames above", () -> above.frames.size() >= 50 && above.audio.size() >= 50);
        s.close();
        assertThat(above.frames.get(0).isKey()).isTrue();
        assertThat(above.types).contains(PsStreamType.H264, PsStreamType.G711A);
        Path mp4 = dir.resolve("above.mp4");
        try (OutputStream os = Files.newOutputStream(mp4)) {
            Fmp4Writer w = new Fmp4Writer(os, VideoCodec.H264, null, Map.of());
            for (AccessUnit u : above.frames) {
                w.add(u);
            }
            w.finish();
        }
        Process probe = new ProcessBuilder("ffprobe", "-v", "error", "-show_streams", "-count_frames",
                mp4.toString()).redirectErrorStream(true).start();
        String report = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(probe.exitValue()).as(report).isZero();
        assertThat(report).contains("codec_name=h264", "width=320", "height=240");

        // a camera with AAC sound (RFC 3640, 16 kHz) added through the API: exported at once to the police's
        // catalog subscription; its sound reaches the police as ADTS in the program stream, which ffprobe reads
        police.subscribe(CENTRE, GbSubscription.Kind.CATALOG, Duration.ofHours(1)).get(10, TimeUnit.SECONDS);
        String aacRtsp = rtspCamera("audio/x-raw,rate=16000,channels=1 ! voaacenc ! rtpmp4gpay name=pay1 pt=97");
        CenterClient admin = new CenterClient("http://127.0.0.1:" + centre.httpAddress().getPort());
        assertThat(admin.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        assertThat(admin.call("PUT", "/api/video/cameras/cam2", CenterClient.JSON.createObjectNode()
                .put("name", "大堂").put("site", "S0001").put("rtsp", aacRtsp)).status()).isEqualTo(200);
        await("the API's camera at the police", () -> channels(police).values().stream()
                .anyMatch(c -> c.name().equals("大堂")));
        GbChannel lobby = channels(police).values().stream().filter(c -> c.name().equals("大堂")).findFirst()
                .orElseThrow();
        Recorder aac = new Recorder();
        MediaSession s2 = police.invite(MediaRequest.live(CENTRE, lobby.id())
                .withTransport(MediaTransport.TCP_PASSIVE), aac).get(20, TimeUnit.SECONDS);
        await("25 pictures and 25 AAC frames above", () -> aac.frames.size() >= 25 && aac.audio.size() >= 25);
        s2.close();
        assertThat(aac.audioTypes).containsOnly(PsStreamType.AAC);
        Path adts = dir.resolve("above.aac");
        try (OutputStream os = Files.newOutputStream(adts)) {
            for (byte[] frame : aac.audio) {
                os.write(frame);
            }
        }
        Process aacProbe = new ProcessBuilder("ffprobe", "-v", "error", "-show_streams", "-count_frames",
                adts.toString()).redirectErrorStream(true).start();
        String aacReport = new String(aacProbe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(aacProbe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(aacProbe.exitValue()).as(aacReport).isZero();
        assertThat(aacReport).contains("codec_name=aac", "sample_rate=16000", "channels=1");
        assertThat(Integer.parseInt(aacReport.replaceAll("(?s).*nb_read_frames=(\\d+).*", "$1")))
                .isGreaterThanOrEqualTo(aac.audio.size() - 1);

        // the customer's platform does not see the camera
        try {
            customer.invite(MediaRequest.live(CENTRE, cam.id()).withTransport(MediaTransport.UDP), new Recorder())
                    .get(20, TimeUnit.SECONDS).close();
            throw new AssertionError("the customer's platform played a camera it does not see");
        } catch (ExecutionException e) {
            assertThat(((MediaFailureException) e.getCause()).failure().sipStatus()).isEqualTo(404);
        }

        // PTZ from the police: right at half speed, then stop, as ONVIF ContinuousMove and Stop
        assertThat(police.ptz(CENTRE, cam.id(), PtzCmd.ptz(false, true, false, false, false, false, 128, 0, 0))
                .toCompletableFuture().get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        await("ContinuousMove at the camera", () -> onvif.count("ContinuousMove") == 1);

        // a new case goes to the police's alarm subscription; the customer's platform, subscribed too, does not see
        // customer C0001's zone
        police.subscribe(CENTRE, GbSubscription.Kind.ALARM, Duration.ofHours(1)).get(10, TimeUnit.SECONDS);
        customer.subscribe(CENTRE, GbSubscription.Kind.ALARM, Duration.ofHours(1)).get(10, TimeUnit.SECONDS);
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", centre.dc09TcpPort());
        try (Dc09Transmitter tx = Dc09Transmitter.builder(scheduler).path(Dc09Path.tcp(to)).account("1234")
                .key(Dc09Key.ofHex(KEY)).attemptsPerPath(1).build()) {
            assertThat(tx.sendSia("#1234|NBA002").toCompletableFuture().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(Dc09SendResult.Acknowledged.class);
        }
        await("the case at the police", () -> policeIntake.events().size() == 1);
        String zone = channels(police).values().stream().filter(c -> c.name().equals("金库门")).findFirst()
                .orElseThrow().id();
        assertThat(policeIntake.events().get(0).extended()).containsEntry("channel", zone);
        // then a case of the customer's own site (C0002, S0002 zone 001): once it is at the customer's platform, the
        // police's case, raised before it on the same path, would be there too had it been sent
        try (Dc09Transmitter tx = Dc09Transmitter.builder(scheduler).path(Dc09Path.tcp(to)).account("5678")
                .attemptsPerPath(1).build()) { // the sample's account 5678 has no key: unencrypted
            assertThat(tx.sendSia("#5678|NBA001").toCompletableFuture().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(Dc09SendResult.Acknowledged.class);
        }
        await("the customer's own case at its platform", () -> !customerIntake.events().isEmpty());
        String own = channels(customer).values().stream().filter(c -> c.name().equals("入户门")).findFirst()
                .orElseThrow().id();
        assertThat(customerIntake.events()).hasSize(1);
        assertThat(customerIntake.events().get(0).extended()).containsEntry("channel", own);

        // closing the centre un-registers it from both
        assertThat(police.registry().get(CENTRE).orElseThrow().registered()).isTrue();
        centre.close();
        centre = null;
        assertThat(police.registry().get(CENTRE).orElseThrow().registered()).isFalse();
        assertThat(customer.registry().get(CENTRE).orElseThrow().registered()).isFalse();
    }

    private static Map<String, GbChannel> channels(GbPlatform p) {
        return p.registry().get(CENTRE).map(d -> d.channels()).orElse(Map.of());
    }

    private static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** GStreamer's RTSP server: H.264 320×240 at 25 fps with G.711 A-law sound (payload type 8). */
    private String rtspCamera() throws Exception {
        return rtspCamera("audio/x-raw,rate=8000,channels=1 ! alawenc ! rtppcmapay name=pay1 pt=8");
    }

    /** The same pictures with a sound of its own: {@code audiotestsrc ! <audio>}. */
    private String rtspCamera(String audio) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String launch = "( videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=25/1"
                + " ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 ! video/x-h264,profile=baseline"
                + " ! rtph264pay name=pay0 pt=96 audiotestsrc is-live=true wave=sine samplesperbuffer=160"
                + " ! " + audio + " )";
        Process camera = new ProcessBuilder(PYTHON, GST_SCRIPT.toString(), "--port", Integer.toString(port), "--launch",
                launch, "--protocols", "tcp").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        cameras.add(camera);
        String line = new BufferedReader(new InputStreamReader(camera.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        RealPeers.require(line == null || !line.startsWith("MISSING"), "GStreamer: " + line);
        assertThat(line).as("gst_rtsp_server.py").isEqualTo("READY");
        return "rtsp://127.0.0.1:" + port + "/test";
    }

    /** What an upper's media session heard. */
    static final class Recorder implements MediaListener {
        final List<AccessUnit> frames = new CopyOnWriteArrayList<>();
        final List<byte[]> audio = new CopyOnWriteArrayList<>();
        final List<PsStreamType> audioTypes = new CopyOnWriteArrayList<>();
        final List<PsStreamType> types = new CopyOnWriteArrayList<>();

        @Override
        public void onVideo(MediaSession session, PsStreamType type, AccessUnit unit) {
            frames.add(unit);
            if (!types.contains(type)) {
                types.add(type);
            }
        }

        @Override
        public void onAudio(MediaSession session, PsStreamType type, long pts, byte[] data) {
            audio.add(data);
            audioTypes.add(type);
            if (!types.contains(type)) {
                types.add(type);
            }
        }

        @Override
        public void onClosed(MediaSession session, MediaFailure failure) {
        }
    }
}
