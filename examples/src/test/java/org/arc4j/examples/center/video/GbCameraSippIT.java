package org.arc4j.examples.center.video;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.stats.QualityLedger;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.core.testsupport.RealPeers;
import org.arc4j.gb28181.media.MediaSession;
import org.arc4j.gb28181.media.PsRtpSender;
import org.arc4j.gb28181.platform.GbPlatform;
import org.arc4j.gb28181.platform.GbPlatformConfig;
import org.arc4j.media.buffer.BufferedFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.arc4j.core.testkit.Await;

/**
 * A camera whose video is a GB/T 28181 channel, against real peers: sipp (Debian package sip-tester) plays the
 * device with sdk-gb28181's scenarios (its test jar), ffmpeg's MPEG program stream goes to the centre as RTP over
 * TCP as the device's would (sdk-gb28181's {@link PsRtpSender}). The centre's clock is virtual: the media timeout,
 * the health check and the back-off are reached by advancing it.
 */
class GbCameraSippIT {
    static final String PLATFORM = "34020000002000000001";
    static final String DEVICE = "34020000001320000001";
    static final String CHANNEL = "34020000001310000001";
    static final String PASSWORD = "12345678";
    /** Pictures large enough for ffmpeg's PS muxer to give each its own PES packet and time stamp, as cameras do. */
    static final List<String> ONE_PICTURE_A_PES = List.of("-qp", "0");

    @TempDir
    Path dir;
    private final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-12-05T08:00:00Z"));
    private final InMemoryAlarmIntake intake = new InMemoryAlarmIntake(scheduler.clock());
    private final InMemoryCredentialStore vault = new InMemoryCredentialStore();
    private final InMemoryRecordStore journal = new InMemoryRecordStore();
    private final List<Process> processes = new ArrayList<>();
    private GbPlatform platform;
    private QualityLedger ledger;
    private VideoService video;
    private int devicePort;

    @AfterEach
    void stop() {
        if (video != null) {
            video.close();
        }
        processes.forEach(Process::destroyForcibly);
        if (platform != null) {
            platform.close();
        }
        intake.close();
    }

    @Test
    void aGbChannelFeedsThePreAlarmBufferAndALostSessionIsAFaultInvitedAgain() throws Exception {
        RealPeers.require(new File("/usr/bin/sipp").canExecute(), "sipp (Debian package sip-tester)");
        RealPeers.requirePrograms("ffmpeg", "ffmpeg");
        for (String f : List.of("gb28181_register.xml", "gb28181_invite_answer_status.xml")) {
            try (InputStream in = GbPlatform.class.getResourceAsStream("/sipp/" + f)) {
                Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        vault.put(CredentialKey.of(CredentialKind.SIP_PASSWORD, DEVICE),
                new Credential(DEVICE, Secret.ofUtf8(PASSWORD), Map.of()));
        platform = GbPlatform.start(GbPlatformConfig.builder(PLATFORM).bindHost("127.0.0.1").udpPort(0).tcpPort(0)
                .queryCatalogOnRegister(false).build(), scheduler, intake, new InMemorySupervisor(scheduler), vault,
                new SimpleMetrics());
        devicePort = freeUdpPort();
        assertThat(finish(start(List.of("sipp", "127.0.0.1:" + platform.stack().udpAddress().getPort(), "-sf",
                "gb28181_register.xml", "-t", "u1", "-i", "127.0.0.1", "-p", Integer.toString(devicePort), "-m", "1",
                "-key", "dev", DEVICE, "-key", "platform", PLATFORM, "-key", "domain", "3402000000", "-key", "gbver",
                "2.0", "-au", DEVICE, "-ap", PASSWORD, "-timeout", "30s", "-timeout_error", "-nostdin", "-trace_err"),
                "register"))).as(this::logs).isZero();

        VideoConfig config = new VideoConfig("10s", null, List.of(new VideoConfig.Camera("gbcam", "gate", "S1", "001",
                null, null, null, null, null, null, null, DEVICE + "/" + CHANNEL)));
        ledger = QualityLedger.open(journal, scheduler.clock());
        Map<String, String> accounts = new ConcurrentHashMap<>();
        video = VideoService.start(config, new VideoService.Parts(scheduler, journal, dir, vault, intake,
                new InMemorySupervisor(scheduler), new SimpleMetrics(), m -> { }, accounts::put, Set.of("S1"),
                ledger));
        assertThat(camera().path("gb28181").asText()).isEqualTo(DEVICE + "/" + CHANNEL);

        // the platform arrives: the channel is invited (the device says it is not encoding when asked its status)
        Process device = uas("OFF");
        video.gb28181(platform);
        MediaSession first = awaitSession(null);
        // a device keeps its TCP media connection open when it stops sending (closing it would end the session at once)
        PsRtpSender.Out connection = tcp(first);
        try (PsRtpSender sender = PsRtpSender.start("libx264", 3, Long.parseLong(first.answeredSsrc()),
                connection.keptOpen(), ONE_PICTURE_A_PES)) {
            sender.await(30);
            await(() -> video.feed("gbcam").buffer.frames() >= 70, "70 of the 75 pictures in the pre-alarm buffer");
        }
        assertThat(camera().path("codec").asText()).isEqualTo("H264");
        assertThat(camera().path("state").asText()).isEqualTo("PLAYING");
        assertThat(camera().path("fps").asDouble()).isBetween(24.0, 26.0);
        // the device's DeviceStatus says Encode OFF: an encoder fault of the camera, with a repair ticket
        video.checkGbDevices();
        await(() -> camera().path("faults").toString().contains("ENCODER") && !gbFaults().isEmpty(),
                "the encoder fault");
        assertThat(gbFaults()).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo("GB_ENCODER");
            assertThat(e.account()).isEqualTo("gbcam");
            assertThat(e.qualifier()).isEqualTo(Qualifier.NEW_EVENT);
        });
        String encoderTicket = camera().path("ticket").asText();
        assertThat(encoderTicket).startsWith("video-gbcam-encoder-");
        assertThat(ledger.faults()).anySatisfy(t -> {
            assertThat(t.id()).isEqualTo(encoderTicket);
            assertThat(t.closedAt()).isNull();
        });
        // the /ws/video path: a live viewer starts at the newest key frame
        List<BufferedFrame> viewer = new CopyOnWriteArrayList<>();
        video.feed("gbcam").subscribe(null, viewer::add);
        assertThat(viewer).isNotEmpty();
        assertThat(viewer.get(0).key()).isTrue();

        // the device sends nothing more: the session is lost after the media timeout (10 s), a VIDEO_FAULT
        for (int i = 0; i < 10; i++) {
            scheduler.advance(Duration.ofSeconds(1));
        }
        assertThat(finish(device)).as(this::logs).isZero(); // the BYE reached the device
        connection.close();
        assertThat(faults()).as(() -> faults().toString()).extracting(AlarmEvent::code)
                .containsExactly("GB_ENCODER", "VIDEO_LOSS");
        assertThat(faults().get(1).account()).isEqualTo("gbcam");
        assertThat(camera().path("fault").asText()).startsWith("STREAM_LOST");
        assertThat(camera().path("state").asText()).isEqualTo("RECONNECTING");
        assertThat(camera().path("ticket").isNull()).isFalse();

        // the back-off (1 s) invites it again; its pictures restore the camera (and it is encoding again)
        device = uas("ON");
        scheduler.advance(Duration.ofSeconds(1));
        MediaSession second = awaitSession(first);
        int before = viewer.size(); // the viewer stays subscribed across sessions
        PsRtpSender.Out again = tcp(second);
        try (PsRtpSender sender = PsRtpSender.start("libx264", 2, Long.parseLong(second.answeredSsrc()),
                again.keptOpen(), ONE_PICTURE_A_PES)) {
            sender.await(30);
            await(() -> viewer.size() >= before + 45, "45 of the 50 new pictures");
        }
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(faults()).filteredOn(e -> e.code().equals("VIDEO_LOSS")).extracting(AlarmEvent::qualifier)
                .containsExactly(Qualifier.NEW_EVENT, Qualifier.RESTORE);
        // the encoder fault lasts until the device says Encode ON
        assertThat(camera().path("fault").asText()).startsWith("ENCODER");
        video.checkGbDevices();
        await(() -> camera().path("fault").isNull() && gbFaults().size() == 2, "the encoder fault's restore");
        assertThat(gbFaults()).extracting(AlarmEvent::qualifier).containsExactly(Qualifier.NEW_EVENT,
                Qualifier.RESTORE);
        assertThat(ledger.faults()).filteredOn(t -> t.id().equals(encoderTicket))
                .singleElement().satisfies(t -> assertThat(t.closedAt()).isNotNull());

        video.close();
        video = null;
        assertThat(finish(device)).as(this::logs).isZero(); // removing the camera hangs up
        again.close();
        assertThat(platform.mediaSessions()).isZero();
    }

    private JsonNode camera() {
        return video.cameras().get(0);
    }

    private List<AlarmEvent> gbFaults() {
        return faults().stream().filter(e -> e.code().startsWith("GB_")).toList();
    }

    private List<AlarmEvent> faults() {
        return intake.events().stream().filter(e -> e.category() == Category.VIDEO_FAULT).toList();
    }

    private MediaSession awaitSession(MediaSession not) throws InterruptedException {
        await(() -> video.gbSession("gbcam") != null && video.gbSession("gbcam") != not, "the INVITE's session");
        return video.gbSession("gbcam");
    }

    private static PsRtpSender.Out tcp(MediaSession s) throws IOException {
        return PsRtpSender.tcp(new Socket(InetAddress.getLoopbackAddress(), s.localMediaAddress().getPort()));
    }

    /**
     * sipp as the device answering the INVITE (TCP passive), on the port it registered from, and its DeviceStatus
     * query (two calls).
     */
    private Process uas(String encode) throws Exception {
        Process p = start(List.of("sipp", "-sf", "gb28181_invite_answer_status.xml",
                "-key", "encode", encode, "-key", "record", "ON", "-t", "u1", "-i", "127.0.0.1", "-p",
                Integer.toString(devicePort), "-m", "2", "-key", "dev", DEVICE, "-key", "platform", PLATFORM,
                "-key", "channel", CHANNEL, "-key", "sname", "Play", "-key", "proto", "TCP/RTP/AVP",
                "-key", "setup", "active", "-key", "mport", "19000", "-key", "pt", "96", "-key", "enc", "PS",
                "-timeout", "60s", "-timeout_error", "-nostdin", "-trace_err"), "uas");
        await(() -> {
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", devicePort))) {
                return probe.isClosed();
            } catch (BindException e) {
                return true; // sipp holds the port
            } catch (IOException e) {
                return false;
            }
        }, "sipp listening");
        return p;
    }

    private Process start(List<String> cmd, String name) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + processes.size() + ".out").toFile()).start();
        processes.add(p);
        return p;
    }

    private static int finish(Process p) throws InterruptedException {
        return org.arc4j.gb28181.SippRuns.finish(p);
    }

    private String logs() {
        return org.arc4j.gb28181.SippRuns.logs(dir);
    }

    private static int freeUdpPort() throws IOException {
        return org.arc4j.gb28181.SippRuns.freeUdpPort();
    }

    /** Polls a condition the real peers bring about; the bound is a test timeout, not a measured time. */
    private static void await(BooleanSupplier condition, String what) {
        Await.until(Duration.ofSeconds(30), condition, () -> what);
    }
}
