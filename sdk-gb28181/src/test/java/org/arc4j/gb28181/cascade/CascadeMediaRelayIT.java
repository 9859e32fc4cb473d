package org.arc4j.gb28181.cascade;

import static org.arc4j.gb28181.cascade.CascadeTesting.await;
import static org.arc4j.gb28181.cascade.CascadeTesting.freeUdpPort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.store.Journal;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.core.testsupport.RealPeers;
import org.arc4j.gb28181.media.MediaFailure;
import org.arc4j.gb28181.media.MediaFailureException;
import org.arc4j.gb28181.media.MediaListener;
import org.arc4j.gb28181.media.MediaRequest;
import org.arc4j.gb28181.media.MediaSession;
import org.arc4j.gb28181.media.MediaTransport;
import org.arc4j.gb28181.media.PsRtpSender;
import org.arc4j.gb28181.platform.GbPlatform;
import org.arc4j.gb28181.platform.GbPlatformConfig;
import org.arc4j.media.clip.Fmp4Writer;
import org.arc4j.media.ps.PsStreamType;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.VideoCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Live video through the cascade: an arc4j {@link GbPlatform} as the upper platform INVITEs a channel the
 * {@link GbCascade} exports; the cascade's {@link CascadeMediaSource} is backed by the centre's own
 * {@link GbPlatform}, where a sipp device (scenarios in {@code src/test/resources/sipp}) answers the INVITE and
 * ffmpeg's program stream arrives over RTP ({@link PsRtpSender}). The upper receives the re-muxed PS over RTP, which
 * sdk-media's PsDemuxer (in the upper's media session) gives back as H.264 access units. A BYE on either side ends
 * both sessions; ffprobe reads what the upper received as the
 * device's 320x240 H.264 pictures; a channel that is no device channel is refused with 488 (TCP media:
 * {@link CascadeTcpMediaIT}).
 */
class CascadeMediaRelayIT {
    static final String UPPER = "11000000002000000001";
    static final String LOCAL = "34020000002000000001";
    static final String DEVICE = "34020000001320000001";
    static final String CHANNEL = "34020000001310000001";
    static final String DEVICE_PASSWORD = "12345678";
    static final String CASCADE_PASSWORD = "cascade-pw";

    final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-03-01T02:00:00Z"));
    final InMemoryAlarmIntake intake = new InMemoryAlarmIntake(scheduler.clock());
    final InMemorySupervisor supervisor = new InMemorySupervisor(scheduler);
    final InMemoryCredentialStore vault = new InMemoryCredentialStore();
    final List<Process> processes = new ArrayList<>();
    final List<AutoCloseable> closeables = new ArrayList<>();
    final List<String> states = new CopyOnWriteArrayList<>();
    volatile MediaSession lowerSession;
    GbPlatform lower;
    GbPlatform upper;
    GbCascade cascade;
    int devicePort;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        RealPeers.require(new File("/usr/bin/sipp").canExecute(), "sipp (Debian package sip-tester)");
        RealPeers.requirePrograms("ffmpeg", "ffmpeg", "ffprobe");
        for (String f : List.of("gb28181_register.xml", "gb28181_invite_answer.xml",
                "gb28181_invite_device_bye.xml", "gb28181_invite_playback.xml")) {
            try (InputStream in = CascadeMediaRelayIT.class.getResourceAsStream("/sipp/" + f)) {
                Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        vault.put(CredentialKey.of(CredentialKind.SIP_PASSWORD, DEVICE),
                new Credential(DEVICE, Secret.ofUtf8(DEVICE_PASSWORD), Map.of()));
        vault.put(CredentialKey.of(CredentialKind.SIP_PASSWORD, LOCAL),
                new Credential(LOCAL, Secret.ofUtf8(CASCADE_PASSWORD), Map.of()));
        // the centre's own platform, where the device registers
        lower = GbPlatform.start(GbPlatformConfig.builder(LOCAL).bindHost("127.0.0.1").udpPort(0).tcpPort(-1)
                .queryCatalogOnRegister(false).build(), scheduler, intake, supervisor, vault, new SimpleMetrics());
        closeables.add(lower);
        devicePort = freeUdpPort();
        assertThat(finish(start(List.of("sipp", "127.0.0.1:" + lower.stack().udpAddress().getPort(), "-sf",
                "gb28181_register.xml", "-t", "u1", "-i", "127.0.0.1", "-p", Integer.toString(devicePort), "-m", "1",
                "-key", "dev", DEVICE, "-key", "platform", LOCAL, "-key", "domain", "3402000000", "-key", "gbver",
                "2.0", "-au", DEVICE, "-ap", DEVICE_PASSWORD, "-timeout", "30s", "-timeout_error", "-nostdin",
                "-trace_err"), "register"))).as(this::logs).isZero();

        upper = GbPlatform.start(GbPlatformConfig.builder(UPPER).bindHost("127.0.0.1").udpPort(0).tcpPort(-1)
                .queryCatalogOnRegister(true).build(), scheduler, intake, supervisor, vault, new SimpleMetrics());
        closeables.add(upper);
        CascadeMediaSource devices = CascadeMediaSource.of(lower, key -> key.equals("cam-1")
                ? Optional.of(MediaRequest.live(DEVICE, CHANNEL).withTransport(MediaTransport.UDP)) : Optional.empty());
        CascadeSource source = new CascadeSource() {
            @Override
            public List<ExportedItem> catalog() {
                return List.of(ExportedItem.camera("cam-1", "前门摄像机", null, true),
                        ExportedItem.camera("onvif-2", "ONVIF 摄像机", null, true));
            }

            @Override
            public CascadeMediaSource media() {
                // the device's session is kept to send the device's media to it
                return new CascadeMediaSource() {
                    @Override
                    public CompletionStage<AutoCloseable> openLive(String key, Sink sink) {
                        return devices.openLive(key, watched(sink)).thenApply(h -> {
                            lowerSession = (MediaSession) h;
                            return h;
                        });
                    }

                    @Override
                    public CompletionStage<Recording> openRecording(String key, MediaRequest.Kind kind, Instant from,
                                                                    Instant to, int speed, Sink sink) {
                        return devices.openRecording(key, kind, from, to, speed, watched(sink)).thenApply(h -> {
                            lowerSession = ((DeviceRecording) h).session();
                            return h;
                        });
                    }
                };
            }

            private CascadeMediaSource.Sink watched(CascadeMediaSource.Sink sink) {
                return new CascadeMediaSource.Sink() {
                    @Override
                    public void video(PsStreamType type, AccessUnit unit) {
                        sink.video(type, unit);
                    }

                    @Override
                    public void endOfFile() {
                        states.add("end of file");
                        sink.endOfFile();
                    }

                    @Override
                    public void ended(String reason) {
                        states.add("ended " + reason);
                        sink.ended(reason);
                    }
                };
            }
        };
        Journal journal = Journal.builder(dir.resolve("journal")).clock(scheduler.clock()).open();
        closeables.add(journal);
        cascade = GbCascade.start(GbCascadeConfig.builder(LOCAL).bindHost("127.0.0.1").udpPort(0).tcpPort(-1)
                .upper(UpperPlatform.of(UPPER, "127.0.0.1", upper.stack().udpAddress().getPort(),
                        Secret.ofUtf8(CASCADE_PASSWORD))).build(), scheduler, journal, source,
                new CascadeListener() {
                    @Override
                    public void linkStateChanged(UpperPlatformLink link, LinkState from, LinkState to, String why) {
                        states.add(to.name());
                    }
                });
        closeables.add(0, cascade);
        await("the catalog at the upper", () -> upper.registry().get(LOCAL)
                .map(d -> d.channels().size() == 2).orElse(false));
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
        intake.close();
    }

    @Test
    void theUpperPlaysTheDevicesLiveVideoThroughTheCascadeAndItsByeEndsBoth() throws Exception {
        String cam = cascade.exportedId(UPPER, "cam-1").orElseThrow();
        String onvif = cascade.exportedId(UPPER, "onvif-2").orElseThrow();
        // refused with the reason: a channel that is no GB/T 28181 device channel
        assertRejected(upper.invite(udp(onvif), new Recorder()), "device channel");

        Process device = uas("gb28181_invite_answer.xml");
        Recorder above = new Recorder();
        MediaSession s = upper.invite(udp(cam), above).get(20, TimeUnit.SECONDS);
        assertThat(s.answeredSsrc()).isEqualTo(s.offeredSsrc()); // the cascade sends with the upper's y=
        MediaSession below = lowerSession;
        assertThat(below).isNotNull();
        try (PsRtpSender sender = PsRtpSender.start("libx264", 3, Long.parseLong(below.answeredSsrc()),
                PsRtpSender.udp(below.localMediaAddress()))) {
            sender.await(30);
            try {
                await("60 of the 75 frames above", () -> above.frames.size() >= 60);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": below " + below.packets() + " packets, "
                        + below.videoFrames() + " frames; above " + s.packets() + " packets, " + above.frames.size()
                        + " frames; sent to " + below.localMediaAddress() + "; upper at "
                        + s.localMediaAddress() + " " + lower.mediaSessions() + " " + states, e);
            }
        }
        assertThat(above.types).containsOnly(PsStreamType.H264);
        assertThat(above.frames.get(0).isKey()).isTrue();
        assertThat(above.frames).allSatisfy(u -> assertThat(u.codec()).isEqualTo(VideoCodec.H264));
        assertThat(above.frames.stream().filter(AccessUnit::isKey).count()).isGreaterThanOrEqualTo(2);
        assertThat(s.receivedSsrc()).isEqualTo(Long.parseLong(s.offeredSsrc()));
        // what the upper received is a playable clip: ffprobe reads it as the device's H.264 pictures
        assertPlayable(above.frames, "above.mp4", 60);

        s.close(); // the upper's BYE: the cascade ends the device's session, sipp gets its BYE
        assertThat(finish(device)).as(this::logs).isZero();
        await("the device's session ended", () -> lower.mediaSessions() == 0);
        assertThat(above.closed).containsExactly("closed");
    }

    /**
     * Playback and download through the cascade (GB/T 28181-2016 §9.8): the upper's {@code s=Playback} or
     * {@code s=Download} INVITE with its {@code t=} range becomes the centre's own INVITE of that kind to the device
     * (sipp checks {@code u=}, {@code t=} and {@code s=}); the recording's PS reaches the upper re-muxed and ffprobe
     * reads it; the upper's MANSRTSP PAUSE, PLAY Scale 2 and PLAY Range npt=10- reach the device (sipp checks each
     * and answers 200, which the upper gets back); the device's MediaStatus 121 reaches the upper as the end of
     * its file; the upper's BYE ends the device's session. An ONVIF camera's recording is refused with 488 and the
     * reason.
     */
    @ParameterizedTest
    @EnumSource(value = MediaRequest.Kind.class, names = {"PLAYBACK", "DOWNLOAD"})
    void theUpperPlaysBackAndDownloadsTheDevicesRecordingThroughTheCascade(MediaRequest.Kind kind)
            throws Exception {
        String cam = cascade.exportedId(UPPER, "cam-1").orElseThrow();
        String onvif = cascade.exportedId(UPPER, "onvif-2").orElseThrow();
        Instant from = Instant.parse("2026-02-28T08:00:00Z");
        assertRejected(upper.invite(history(kind, onvif, from), new Recorder()), "has no recordings");

        Process device = uas("gb28181_invite_playback.xml", kind.sessionName());
        Recorder above = new Recorder();
        MediaSession s = upper.invite(history(kind, cam, from), above).get(20, TimeUnit.SECONDS);
        assertThat(s.offeredSsrc()).startsWith("1"); // a history SSRC, which the cascade sends with
        MediaSession below = lowerSession;
        assertThat(below).isNotNull();
        assertThat(below.request().kind()).isEqualTo(kind);
        assertThat(below.request().start()).isEqualTo(from);
        assertThat(below.request().end()).isEqualTo(from.plusSeconds(600));
        assertThat(below.request().downloadSpeed()).isEqualTo(kind == MediaRequest.Kind.DOWNLOAD ? 4 : 1);
        try (PsRtpSender sender = PsRtpSender.start("libx264", 2, Long.parseLong(below.answeredSsrc()),
                PsRtpSender.udp(below.localMediaAddress()))) {
            sender.await(30);
            await("40 of the 50 frames above", () -> above.frames.size() >= 40);
        }
        assertThat(s.receivedSsrc()).isEqualTo(Long.parseLong(s.offeredSsrc()));
        assertPlayable(above.frames, kind + ".mp4", 40);

        // the upper's MANSRTSP goes to the device, whose answers come back
        assertThat(s.pause().toCompletableFuture().get(20, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(s.play(2.0).toCompletableFuture().get(20, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(s.seek(10).toCompletableFuture().get(20, TimeUnit.SECONDS)).isEqualTo(200);
        // then the device reports the end of the recording: it reaches the upper's session
        await("MediaStatus 121 at the upper", () -> !above.endOfFile.isEmpty());
        assertThat(above.endOfFile).containsExactly(s);
        assertThat(states).contains("end of file");
        assertThat(above.closed).isEmpty();

        s.close(); // the upper's BYE ends the device's session: sipp takes its BYE
        assertThat(finish(device)).as(this::logs).isZero();
        await("the device's session ended", () -> lower.mediaSessions() == 0);
        assertThat(above.closed).containsExactly("closed");
    }

    private static MediaRequest history(MediaRequest.Kind kind, String channel, Instant from) {
        return (kind == MediaRequest.Kind.PLAYBACK ? MediaRequest.playback(LOCAL, channel, from, from.plusSeconds(600))
                : MediaRequest.download(LOCAL, channel, from, from.plusSeconds(600), 4))
                .withTransport(MediaTransport.UDP);
    }

    /** Writes the access units as an MP4 and has ffprobe read at least that many H.264 320x240 frames from it. */
    private void assertPlayable(List<AccessUnit> frames, String name, int atLeast) throws Exception {
        assertThat(frames.get(0).isKey()).isTrue();
        Path mp4 = dir.resolve(name);
        try (java.io.OutputStream os = Files.newOutputStream(mp4)) {
            Fmp4Writer w = new Fmp4Writer(os, VideoCodec.H264, null, Map.of());
            for (AccessUnit u : frames) {
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
        assertThat(Integer.parseInt(report.replaceAll("(?s).*nb_read_frames=(\\d+).*", "$1")))
                .isGreaterThanOrEqualTo(atLeast);
    }

    @Test
    void theDevicesByeEndsTheUppersSession() throws Exception {
        String cam = cascade.exportedId(UPPER, "cam-1").orElseThrow();
        Process device = uas("gb28181_invite_device_bye.xml");
        Recorder above = new Recorder();
        upper.invite(udp(cam), above).get(20, TimeUnit.SECONDS);
        assertThat(finish(device)).as(this::logs).isZero();
        await("the upper's session ended by the cascade's BYE", () -> !above.closed.isEmpty());
        assertThat(above.closed).containsExactly(MediaFailure.Kind.BYE_FROM_DEVICE.name());
        assertThat(upper.mediaSessions()).isZero();
        assertThat(lower.mediaSessions()).isZero();
    }

    /** The upper's live request over UDP (the SDK's default is TCP). */
    private static MediaRequest udp(String channel) {
        return MediaRequest.live(LOCAL, channel).withTransport(MediaTransport.UDP);
    }

    private static void assertRejected(CompletionStage<MediaSession> invite, String reason) {
        assertRejected(invite, reason, 488);
    }

    private static void assertRejected(CompletionStage<MediaSession> invite, String reason, int status) {
        assertThatThrownBy(() -> invite.toCompletableFuture().get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(MediaFailureException.class)
                .satisfies(e -> {
                    MediaFailure f = ((MediaFailureException) e).failure();
                    assertThat(f.kind()).isEqualTo(MediaFailure.Kind.REJECTED);
                    assertThat(f.sipStatus()).isEqualTo(status);
                    assertThat(f.detail()).contains(reason);
                });
    }

    /** sipp as the device's UAS on the port it registered from, ready when it holds that port. */
    private Process uas(String scenario) throws Exception {
        return uas(scenario, "Play");
    }

    private Process uas(String scenario, String sessionName) throws Exception {
        Process p = start(List.of("sipp", "-sf", scenario, "-t", "u1", "-i", "127.0.0.1", "-p",
                Integer.toString(devicePort), "-m", "1", "-key", "dev", DEVICE, "-key", "platform", LOCAL,
                "-key", "channel", CHANNEL, "-key", "sname", sessionName, "-key", "proto", "RTP/AVP",
                "-key", "setup", "active", "-key", "mport", "19000", "-key", "pt", "96", "-key", "enc", "PS",
                "-timeout", "60s", "-timeout_error", "-nostdin", "-trace_err", "-trace_msg"), scenario);
        await("sipp listening", () -> {
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", devicePort))) {
                return probe.isClosed(); // bound: sipp is not there yet
            } catch (BindException e) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return p;
    }

    private Process start(List<String> cmd, String name) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile()).start();
        processes.add(p);
        return p;
    }

    private static int finish(Process p) throws InterruptedException {
        return org.arc4j.gb28181.SippRuns.finish(p);
    }

    private String logs() {
        return org.arc4j.gb28181.SippRuns.logs(dir);
    }

    /** What the upper's listener heard. */
    static final class Recorder implements MediaListener {
        final List<AccessUnit> frames = new CopyOnWriteArrayList<>();
        final List<PsStreamType> types = new CopyOnWriteArrayList<>();
        final List<String> closed = new CopyOnWriteArrayList<>();
        final List<MediaSession> endOfFile = new CopyOnWriteArrayList<>();

        @Override
        public void onEndOfFile(MediaSession session) {
            endOfFile.add(session);
        }

        @Override
        public void onVideo(MediaSession session, PsStreamType type, AccessUnit unit) {
            frames.add(unit);
            if (!types.contains(type)) {
                types.add(type);
            }
        }

        @Override
        public void onClosed(MediaSession session, MediaFailure failure) {
            closed.add(failure == null ? "closed" : failure.kind().name());
        }
    }
}
