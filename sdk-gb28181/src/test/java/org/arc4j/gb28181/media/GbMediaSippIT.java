package org.arc4j.gb28181.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
import java.util.concurrent.CompletableFuture;
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
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.core.testsupport.RealPeers;
import org.arc4j.gb28181.media.internal.GbSdp;
import org.arc4j.gb28181.platform.GbPlatform;
import org.arc4j.gb28181.platform.GbPlatformConfig;
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
 * Media sessions against real peers: sipp (Debian package sip-tester) plays a GB/T 28181 device that registers and
 * then answers the platform's INVITE (scenarios in {@code src/test/resources/sipp}); ffmpeg (Debian package ffmpeg)
 * encodes the test pattern in real time into an MPEG-2 program stream that {@link PsRtpSender} sends as RTP over
 * UDP or RFC 4571 TCP, as the device would. The platform's clock is virtual: the media timeout is reached by
 * advancing it, never by waiting. Over 500 lines: one class per real-peer set-up (the platform, sipp registered as
 * its device, ffmpeg), each test a scenario of the same session machinery, sharing the helpers at the end.
 */
class GbMediaSippIT {
    static final String PLATFORM = "34020000002000000001";
    static final String DEVICE = "34020000001320000001";
    static final String CHANNEL = "34020000001310000001";
    static final String PASSWORD = "12345678";
    static final String AUDIO_CHANNEL = "34020000001370000001";
    static final List<String> FILES = List.of("gb28181_register.xml", "gb28181_invite_answer.xml",
            "gb28181_invite_reject.xml", "gb28181_invite_device_bye.xml", "gb28181_invite_playback.xml", "gb28181_broadcast.xml", "gb28181_snapshot.xml",
            "gb28181_talk.xml", "gb28181_talk_device_bye.xml", "gb28181_recordinfo.xml");

    final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-03-01T02:00:00Z"));
    final InMemoryAlarmIntake intake = new InMemoryAlarmIntake(scheduler.clock());
    final InMemorySupervisor supervisor = new InMemorySupervisor(scheduler);
    final InMemoryCredentialStore store = new InMemoryCredentialStore();
    final Recorder recorder = new Recorder();
    final List<Process> processes = new ArrayList<>();
    final SimpleMetrics metrics = new SimpleMetrics();
    GbPlatform platform;
    int devicePort;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        RealPeers.require(new File("/usr/bin/sipp").canExecute(), "sipp (Debian package sip-tester)");
        RealPeers.requirePrograms("ffmpeg", "ffmpeg", "ffprobe");
        for (String f : FILES) {
            try (InputStream in = GbMediaSippIT.class.getResourceAsStream("/sipp/" + f)) {
                Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        store.put(CredentialKey.of(CredentialKind.SIP_PASSWORD, DEVICE),
                new Credential(DEVICE, Secret.ofUtf8(PASSWORD), Map.of()));
        platform = GbPlatform.start(GbPlatformConfig.builder(PLATFORM).bindHost("127.0.0.1").udpPort(0).tcpPort(0)
                .queryCatalogOnRegister(false).build(), scheduler, intake, supervisor, store, metrics);
        devicePort = freeUdpPort();
        Process reg = sipp("gb28181_register.xml", "2.0");
        assertThat(finish(reg)).as(this::logs).isZero();
        assertThat(platform.registry().get(DEVICE)).isPresent();
    }

    @AfterEach
    void stop() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        if (platform != null) {
            platform.close();
        }
        intake.close();
    }

    // ---------------------------------------------------------------- the tests

    @ParameterizedTest
    @EnumSource(MediaTransport.class)
    void liveVideoArrivesAsAccessUnitsAndTheBYEEndsIt(MediaTransport transport) throws Exception {
        ServerSocket deviceMedia = transport == MediaTransport.TCP_ACTIVE
                ? new ServerSocket(0, 1, InetAddress.getLoopbackAddress()) : null;
        Process device = uas("gb28181_invite_answer.xml", "Play", transport,
                deviceMedia != null ? deviceMedia.getLocalPort() : 19000);
        MediaSession s = platform.invite(MediaRequest.live(DEVICE, CHANNEL).withTransport(transport), recorder)
                .get(20, TimeUnit.SECONDS);
        assertThat(s.offeredSsrc()).matches("0" + PLATFORM.substring(3, 8) + "\\d{4}");
        assertThat(s.answeredSsrc()).isEqualTo(s.offeredSsrc());
        assertThat(s.remoteMediaAddress().getPort()).isEqualTo(deviceMedia != null ? deviceMedia.getLocalPort() : 19000);

        try (PsRtpSender sender = PsRtpSender.start("libx264", 3, GbSdp.ssrcValue(s.answeredSsrc()),
                out(transport, s, deviceMedia))) {
            sender.await(30);
            await(() -> recorder.frames.size() >= 70, "70 of the 75 frames");
            assertThat(sender.sent()).isGreaterThan(0);
        }
        assertThat(recorder.types).containsOnly(PsStreamType.H264);
        assertThat(recorder.frames).allSatisfy(u -> assertThat(u.codec()).isEqualTo(VideoCodec.H264));
        assertThat(recorder.frames.stream().filter(AccessUnit::isKey).count()).isGreaterThanOrEqualTo(2);
        assertThat(recorder.frames.get(0).isKey()).isTrue();
        assertThat(s.receivedSsrc()).isEqualTo(GbSdp.ssrcValue(s.offeredSsrc()));
        assertThat(s.videoFrames()).isEqualTo(recorder.frames.size());
        String probe = probeClip(VideoCodec.H264); // the received video is a playable clip
        assertThat(probe).contains("codec_name=h264", "width=320", "height=240");
        assertThat(Integer.parseInt(probe.replaceAll("(?s).*nb_read_frames=(\\d+).*", "$1"))).isGreaterThanOrEqualTo(70);

        if (transport != MediaTransport.UDP) {
            // the device closed its connection after the stream: the media is lost at once, with a BYE
            await(() -> !recorder.closed.isEmpty(), "the session to end");
        }
        s.close();
        assertThat(finish(device)).as(this::logs).isZero(); // sipp got the BYE and answered it
        assertThat(recorder.closed).containsExactly(transport == MediaTransport.UDP ? "closed" : "MEDIA_LOST");
        assertThat(platform.mediaSessions()).isZero();
        if (deviceMedia != null) {
            deviceMedia.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MediaRequest.Kind.class, names = {"PLAYBACK", "DOWNLOAD"})
    void playbackAndDownloadAreControlledByMansrtspAndEndOfFileIsReported(MediaRequest.Kind kind) throws Exception {
        Process device = uas("gb28181_invite_playback.xml", kind.sessionName(), MediaTransport.TCP_PASSIVE, 19000);
        Instant start = Instant.parse("2026-02-28T08:00:00Z");
        MediaRequest r = kind == MediaRequest.Kind.PLAYBACK
                ? MediaRequest.playback(DEVICE, CHANNEL, start, start.plusSeconds(600))
                : MediaRequest.download(DEVICE, CHANNEL, start, start.plusSeconds(600), 4);
        MediaSession s = platform.invite(r, recorder).get(20, TimeUnit.SECONDS);
        assertThat(s.offeredSsrc()).startsWith("1" + PLATFORM.substring(3, 8)); // history
        PsRtpSender.Out connection = out(MediaTransport.TCP_PASSIVE, s, null);
        try (PsRtpSender sender = PsRtpSender.start("libx264", 1, GbSdp.ssrcValue(s.answeredSsrc()),
                connection.keptOpen())) {
            sender.await(30);
            await(() -> recorder.frames.size() >= 20, "20 of the 25 frames");
        }
        assertThat(s.pause().toCompletableFuture().get(20, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(s.play(2.0).toCompletableFuture().get(20, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(s.seek(10).toCompletableFuture().get(20, TimeUnit.SECONDS)).isEqualTo(200);
        await(() -> !recorder.endOfFile.isEmpty(), "MediaStatus 121");
        assertThat(recorder.endOfFile).containsExactly(s);
        assertThat(recorder.closed).isEmpty(); // the end of the file does not end the session
        s.close();
        assertThat(finish(device)).as(this::logs).isZero();
        assertThat(recorder.closed).containsExactly("closed");
        connection.close();
    }

    @Test
    void liveSessionsRefusePlaybackControl() throws Exception {
        Process device = uas("gb28181_invite_answer.xml", "Play", MediaTransport.UDP, 19000);
        MediaSession s = platform.invite(MediaRequest.live(DEVICE, CHANNEL).withTransport(MediaTransport.UDP),
                recorder).get(20, TimeUnit.SECONDS);
        assertThatThrownBy(() -> s.pause().toCompletableFuture().get()).hasCauseInstanceOf(
                IllegalStateException.class);
        s.close();
        assertThat(finish(device)).as(this::logs).isZero();
    }

    @Test
    void aDeviceThatGoesOfflineEndsItsSessions() throws Exception {
        Process device = uas("gb28181_invite_answer.xml", "Play", MediaTransport.UDP, 19000);
        platform.invite(MediaRequest.live(DEVICE, CHANNEL).withTransport(MediaTransport.UDP)
                .withMediaTimeout(Duration.ofHours(1)), recorder).get(20, TimeUnit.SECONDS);
        // no keepalive for 3 x 60 s: the supervisor declares the device offline
        scheduler.advance(Duration.ofSeconds(180));
        assertThat(recorder.closed).containsExactly("DEVICE_GONE");
        assertThat(finish(device)).as(this::logs).isZero(); // the BYE was still sent and answered
        assertThat(platform.mediaSessions()).isZero();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"y=0100009999", "a=x-no-ssrc"})
    void aDeviceThatAnswersAnotherSsrcOrNoneIsTolerated(String ssrcLine) throws Exception {
        Path other = dir.resolve("gb28181_invite_other_ssrc.xml");
        Files.writeString(other, Files.readString(dir.resolve("gb28181_invite_answer.xml"))
                .replace("y=[$offered]", ssrcLine));
        Process device = uas(other.getFileName().toString(), "Play", MediaTransport.UDP, 19000);
        MediaSession s = platform.invite(MediaRequest.live(DEVICE, CHANNEL).withTransport(MediaTransport.UDP),
                recorder).get(20, TimeUnit.SECONDS);
        assertThat(s.answeredSsrc()).isEqualTo(ssrcLine.startsWith("y=") ? "0100009999" : null);
        try (PsRtpSender sender = PsRtpSender.start("libx265", 2, 100_009_999L,
                PsRtpSender.udp(s.localMediaAddress()))) {
            sender.await(30);
            await(() -> recorder.frames.size() >= 45, "45 of the 50 frames");
        }
        assertThat(recorder.types).containsOnly(PsStreamType.H265);
        assertThat(s.receivedSsrc()).isEqualTo(100_009_999L);
        assertThat(probeClip(VideoCodec.H265)).contains("codec_name=hevc");
        s.close();
        assertThat(finish(device)).as(this::logs).isZero();
    }

    @Test
    void aDeviceThatSendsNothingFailsWithNoMediaAndGetsABye() throws Exception {
        Process device = uas("gb28181_invite_answer.xml", "Play", MediaTransport.UDP, 19000);
        MediaSession s = platform.invite(MediaRequest.live(DEVICE, CHANNEL).withTransport(MediaTransport.UDP)
                .withMediaTimeout(Duration.ofSeconds(5)), recorder).get(20, TimeUnit.SECONDS);
        scheduler.advance(Duration.ofMillis(4_999));
        assertThat(recorder.closed).isEmpty();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(recorder.closed).containsExactly("NO_MEDIA");
        assertThat(recorder.failures.get(0).isVideoFault()).isTrue();
        assertThat(finish(device)).as(this::logs).isZero(); // the BYE reached sipp, which answered it
        assertThat(platform.mediaSessions()).isZero();
        assertThat(s.packets()).isZero();
    }

    @Test
    void aUdpSessionSendsReceiverReportsToTheDevicesRtcpPort() throws Exception {
        try (DatagramSocket rtcp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            rtcp.setSoTimeout(10_000);
            // the device's RTP port is the one below its RTCP port (RFC 3550 §11)
            Process device = uas("gb28181_invite_answer.xml", "Play", MediaTransport.UDP, rtcp.getLocalPort() - 1);
            MediaSession s = platform.invite(MediaRequest.live(DEVICE, CHANNEL).withTransport(MediaTransport.UDP),
                    recorder).get(20, TimeUnit.SECONDS);
            long sent;
            try (PsRtpSender sender = PsRtpSender.start("libx264", 1, GbSdp.ssrcValue(s.answeredSsrc()),
                    PsRtpSender.udp(s.localMediaAddress()))) {
                sender.await(30);
                await(() -> recorder.frames.size() >= 20, "20 of the 25 frames");
                sent = sender.sent();
            }
            await(() -> s.packets() == sent, "every packet");
            scheduler.advance(Duration.ofSeconds(5)); // the report interval, on the virtual clock
            java.net.DatagramPacket d = new java.net.DatagramPacket(new byte[1500], 1500);
            rtcp.receive(d);
            var r = org.arc4j.media.rtcp.RtcpCodec.INSTANCE.decode(d.getData(), 0, d.getLength());
            assertThat(r).isInstanceOf(org.arc4j.media.rtcp.RtcpDecodeResult.Valid.class);
            List<org.arc4j.media.rtcp.RtcpPacket> packets = ((org.arc4j.media.rtcp.RtcpDecodeResult.Valid) r).packets();
            assertThat(packets.get(0)).isInstanceOfSatisfying(org.arc4j.media.rtcp.RtcpPacket.ReceiverReport.class,
                    rr -> {
                        assertThat(rr.blocks()).hasSize(1);
                        org.arc4j.media.rtcp.ReportBlock b = rr.blocks().get(0);
                        assertThat(b.ssrc()).isEqualTo(s.receivedSsrc());
                        assertThat(b.cumulativeLost()).isZero(); // loopback: nothing lost
                        assertThat(b.extendedHighestSequence() - 4242 + 1).isEqualTo(sent); // PsRtpSender starts at 4242
                    });
            assertThat(packets.get(1)).isInstanceOf(org.arc4j.media.rtcp.RtcpPacket.SourceDescription.class);
            s.close();
            assertThat(finish(device)).as(this::logs).isZero();
        }
    }

    @Test
    void videoThatStopsIsAVideoFaultAfterTheMediaTimeout() throws Exception {
        Process device = uas("gb28181_invite_answer.xml", "Play", MediaTransport.UDP, 19000);
        MediaSession s = platform.invite(MediaRequest.live(DEVICE, CHANNEL).withTransport(MediaTransport.UDP)
                .withMediaTimeout(Duration.ofSeconds(5)), recorder).get(20, TimeUnit.SECONDS);
        try (PsRtpSender sender = PsRtpSender.start("libx264", 1, GbSdp.ssrcValue(s.answeredSsrc()),
                PsRtpSender.udp(s.localMediaAddress()))) {
            sender.await(30);
            await(() -> recorder.frames.size() >= 20, "20 of the 25 frames");
        }
        // the pictures arrived at the virtual start; nothing more: lost 5 s after the last one
        scheduler.advance(Duration.ofSeconds(4));
        assertThat(recorder.closed).isEmpty();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(recorder.closed).containsExactly("MEDIA_LOST");
        assertThat(recorder.failures.get(0).isVideoFault()).isTrue();
        assertThat(finish(device)).as(this::logs).isZero(); // the BYE reached sipp
    }

    @Test
    void aDeviceClosingItsTcpMediaConnectionLosesTheMediaAtOnce() throws Exception {
        Process device = uas("gb28181_invite_answer.xml", "Play", MediaTransport.TCP_PASSIVE, 19000);
        MediaSession s = platform.invite(MediaRequest.live(DEVICE, CHANNEL), recorder).get(20, TimeUnit.SECONDS);
        PsRtpSender.Out connection = out(MediaTransport.TCP_PASSIVE, s, null);
        try (PsRtpSender sender = PsRtpSender.start("libx264", 1, GbSdp.ssrcValue(s.answeredSsrc()),
                connection.keptOpen())) {
            sender.await(30);
            await(() -> recorder.frames.size() >= 20, "20 of the 25 frames");
        }
        assertThat(recorder.closed).isEmpty(); // the stream ended, the connection is still open
        connection.close(); // the device closes it; the virtual clock does not move
        await(() -> !recorder.closed.isEmpty(), "the session to end");
        assertThat(recorder.closed).containsExactly("MEDIA_LOST");
        assertThat(recorder.failures.get(0).isVideoFault()).isTrue();
        assertThat(finish(device)).as(this::logs).isZero(); // the BYE reached sipp
        assertThat(platform.mediaSessions()).isZero();
    }

    @Test
    void aDeviceThatSendsGarbageFailsWithNoMedia() throws Exception {
        Process device = uas("gb28181_invite_answer.xml", "Play", MediaTransport.UDP, 19000);
        MediaSession s = platform.invite(MediaRequest.live(DEVICE, CHANNEL).withTransport(MediaTransport.UDP)
                .withMediaTimeout(Duration.ofSeconds(5)), recorder).get(20, TimeUnit.SECONDS);
        java.util.Random random = new java.util.Random(18);
        try (PsRtpSender.Out out = PsRtpSender.udp(s.localMediaAddress())) {
            for (int i = 0; i < 200; i++) {
                byte[] payload = new byte[1 + random.nextInt(1400)];
                random.nextBytes(payload);
                out.send(new org.arc4j.media.rtp.RtpPacket(false, 96, i, i * 3600L,
                        GbSdp.ssrcValue(s.answeredSsrc()), 0, payload).encode());
            }
        }
        await(() -> s.packets() == 200, "200 packets");
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(recorder.closed).containsExactly("NO_MEDIA");
        assertThat(recorder.failures.get(0).detail()).contains("200 RTP packets but no decodable");
        assertThat(recorder.frames).isEmpty();
        assertThat(finish(device)).as(this::logs).isZero();
    }

    @Test
    void aCancelledInviteAcknowledgesTheLateAnswerAndHangsUp() throws Exception {
        Path slow = dir.resolve("gb28181_invite_slow.xml");
        String xml = Files.readString(dir.resolve("gb28181_invite_answer.xml"));
        int at = xml.indexOf("  <send retrans=\"500\">");
        Files.writeString(slow, xml.substring(0, at) + "  <pause milliseconds=\"1000\"/>\n\n" + xml.substring(at));
        Process device = uas(slow.getFileName().toString(), "Play", MediaTransport.UDP, 19000);
        CompletableFuture<MediaSession> f = platform.invite(MediaRequest.live(DEVICE, CHANNEL)
                .withTransport(MediaTransport.UDP), recorder);
        assertThat(f.cancel(true)).isTrue();
        // sipp answers a second later, then expects the ACK and a BYE
        assertThat(finish(device)).as(this::logs).isZero();
        assertThat(platform.mediaSessions()).isZero();
        assertThat(recorder.closed).isEmpty();
    }

    @Test
    void aRefusedInviteIsATypedFailure() throws Exception {
        Process device = uas("gb28181_invite_reject.xml", "Play", MediaTransport.UDP, 19000);
        CompletableFuture<MediaSession> f = platform.invite(MediaRequest.live(DEVICE, CHANNEL), recorder);
        assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(MediaFailureException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(MediaFailure.Kind.REJECTED);
                    assertThat(e.failure().sipStatus()).isEqualTo(488);
                });
        assertThat(finish(device)).as(this::logs).isZero(); // our transaction acknowledged the 488
        assertThat(platform.mediaSessions()).isZero();
        assertThat(recorder.closed).isEmpty();
    }

    @Test
    void theDevicesByeEndsTheSession() throws Exception {
        Process device = uas("gb28181_invite_device_bye.xml", "Play", MediaTransport.UDP, 19000);
        platform.invite(MediaRequest.live(DEVICE, CHANNEL).withTransport(MediaTransport.UDP), recorder)
                .get(20, TimeUnit.SECONDS);
        assertThat(finish(device)).as(this::logs).isZero(); // its BYE got our 200
        await(() -> !recorder.closed.isEmpty(), "the end");
        assertThat(recorder.closed).containsExactly("BYE_FROM_DEVICE");
        assertThat(platform.mediaSessions()).isZero();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"98, H264, libx264, 2.0", "100, H265, libx265, 3.0"})
    void elementaryH264AndH265OverRtpFromFfmpegArrive(int pt, String enc, String encoder, String gbVer)
            throws Exception {
        if (!gbVer.equals("2.0")) { // the device registers again, as a 2022-edition one
            assertThat(finish(sipp("gb28181_register.xml", gbVer))).as(this::logs).isZero();
        }
        // sipp checks the offered rtpmap lines: H.265 on 100 to the 2022-edition device, and to it only
        Path checked = dir.resolve("gb28181_invite_h265_" + pt + ".xml");
        Files.writeString(checked, Files.readString(dir.resolve("gb28181_invite_answer.xml")).replace(
                "<!-- H265_CHECK -->", "<ereg regexp=\"a=rtpmap:100 H265/90000\" search_in=\"body\" "
                        + (pt == 100 ? "check_it=\"true\"" : "check_it_inverse=\"true\"") + " assign_to=\"hevc\"/>"
                        + "<log message=\"hevc [$hevc]\"/>"));
        Process device = uas(checked.getFileName().toString(), "Play", MediaTransport.UDP, 19000, pt, enc);
        MediaSession s = platform.invite(MediaRequest.live(DEVICE, CHANNEL).withTransport(MediaTransport.UDP),
                recorder).get(20, TimeUnit.SECONDS);
        // ffmpeg's own RTP muxer (RFC 6184, RFC 7798) is the device's sender; dump_extra puts the parameter
        // sets in-band, as cameras send them
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i",
                "testsrc=size=320x240:rate=25", "-t", "2", "-c:v", encoder, "-g", "25", "-pix_fmt", "yuv420p"));
        if (encoder.equals("libx265")) {
            cmd.addAll(List.of("-x265-params", "log-level=error"));
        }
        cmd.addAll(List.of("-bsf:v", "dump_extra", "-f", "rtp", "-payload_type", Integer.toString(pt), "-ssrc",
                Long.toString(GbSdp.ssrcValue(s.answeredSsrc())), "rtp://127.0.0.1:" + s.localMediaAddress().getPort()));
        Process ff = start(cmd, "ffmpeg-rtp");
        assertThat(ff.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ff.exitValue()).as(this::logs).isZero();
        await(() -> recorder.frames.size() >= 45, "45 of the 50 pictures",
                () -> recorder.frames.size() + " pictures, " + s.packets() + " packets");
        PsStreamType type = pt == 98 ? PsStreamType.H264 : PsStreamType.H265;
        assertThat(recorder.types).containsOnly(type);
        assertThat(recorder.frames.get(0).isKey()).isTrue();
        s.close();
        assertThat(finish(device)).as(this::logs).isZero();
        assertThat(probeClip(pt == 98 ? VideoCodec.H264 : VideoCodec.H265))
                .contains(pt == 98 ? "codec_name=h264" : "codec_name=hevc");
    }

    @Test
    void aVoiceBroadcastSendsG711ToTheDevice() throws Exception {
        try (DatagramSocket speaker = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            speaker.setSoTimeout(10_000);
            Process device = uas("gb28181_broadcast.xml", "Play", MediaTransport.UDP, speaker.getLocalPort());
            String audioOut = "34020000001370000001";
            BroadcastSession b = platform.broadcast(DEVICE, audioOut).get(20, TimeUnit.SECONDS);
            assertThat(b.payloadType()).isEqualTo(8);
            assertThat(b.ssrc()).isEqualTo(100_000_077L);
            assertThat(b.remoteAudioAddress().getPort()).isEqualTo(speaker.getLocalPort());
            byte[] codes = alawTone(1000);
            assertThat(b.send(codes)).isEqualTo(50);
            assertThat(heard(speaker, 50, 100_000_077L)).isEqualTo(codes);
            b.close();
            assertThat(b.isClosed()).isTrue();
            assertThat(finish(device)).as(this::logs).isZero(); // the BYE reached the device
        }
    }

    @Test
    void aTalkCarriesG711BothWaysAndTheBYEEndsIt() throws Exception {
        try (DatagramSocket deviceAudio = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            deviceAudio.setSoTimeout(10_000);
            Process device = uas("gb28181_talk.xml", "Talk", MediaTransport.UDP, deviceAudio.getLocalPort(), 8, "PCMA");
            TalkRecorder talker = new TalkRecorder();
            TalkSession t = platform.talk(DEVICE, AUDIO_CHANNEL, talker).get(20, TimeUnit.SECONDS);
            assertThat(t.payloadType()).isEqualTo(8);
            assertThat(String.format("%010d", t.ssrc())).matches("0" + PLATFORM.substring(3, 8) + "\\d{4}");
            assertThat(t.answeredSsrc()).isEqualTo("0100000088");
            assertThat(t.remoteAudioAddress().getPort()).isEqualTo(deviceAudio.getLocalPort());
            assertThat(platform.mediaSessions()).isOne();

            // the device speaks: ffmpeg's own RTP muxer sends a 440 Hz A-law tone in real time
            byte[] spoken = alawTone(440);
            Path tone = dir.resolve("device.alaw");
            Files.write(tone, spoken);
            Process ff = start(List.of("ffmpeg", "-nostdin", "-v", "error", "-re", "-f", "alaw", "-ar", "8000",
                    "-ac", "1", "-i", tone.toString(), "-c:a", "copy", "-ssrc", "100000088", "-payload_type", "8",
                    "-f", "rtp", "rtp://127.0.0.1:" + t.localAudioAddress().getPort()), "ffmpeg-talk");
            // the platform speaks at the same time: its G.711 reaches the device's port byte for byte
            byte[] codes = alawTone(1000);
            assertThat(t.send(codes)).isEqualTo(50);
            assertThat(heard(deviceAudio, 50, t.ssrc())).isEqualTo(codes);
            assertThat(ff.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(ff.exitValue()).as(this::logs).isZero();
            await(() -> talker.audio.size() >= spoken.length, "the device's second of audio",
                    () -> talker.audio.size() + " codes");
            assertThat(talker.audio.toByteArray()).isEqualTo(spoken);
            assertThat(talker.payloadTypes).containsOnly(8);
            assertThat(t.packetsReceived()).isPositive();

            t.close();
            assertThat(t.isClosed()).isTrue();
            assertThatThrownBy(() -> t.send(codes)).isInstanceOf(IllegalStateException.class);
            assertThat(finish(device)).as(this::logs).isZero(); // the BYE reached the device
            assertThat(talker.closed).containsExactly("closed");
            assertThat(platform.mediaSessions()).isZero();
        }
    }

    @Test
    void aTalkEndsOnTheDevicesByeAndOnSilence() throws Exception {
        Process device = uas("gb28181_talk_device_bye.xml", "Talk", MediaTransport.UDP, 19002, 8, "PCMA");
        TalkRecorder talker = new TalkRecorder();
        platform.talk(DEVICE, AUDIO_CHANNEL, talker).get(20, TimeUnit.SECONDS);
        assertThat(finish(device)).as(this::logs).isZero(); // its BYE was answered 200
        await(() -> !talker.closed.isEmpty(), "the talk to end");
        assertThat(talker.closed).containsExactly("BYE_FROM_DEVICE");

        // a device that answers but never speaks: NO_MEDIA after 10 s on the virtual clock, and a BYE
        Process silent = uas("gb28181_talk.xml", "Talk", MediaTransport.UDP, 19002, 0, "PCMU");
        TalkRecorder quiet = new TalkRecorder();
        TalkSession t = platform.talk(DEVICE, AUDIO_CHANNEL, quiet).get(20, TimeUnit.SECONDS);
        assertThat(t.payloadType()).isZero(); // the device chose μ-law
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(quiet.closed).containsExactly("NO_MEDIA");
        assertThat(finish(silent)).as(this::logs).isZero();
        assertThat(platform.mediaSessions()).isZero();
    }

    @Test
    void aTalkAnsweredWithoutG711IsABadAnswer() throws Exception {
        Process device = uas("gb28181_talk.xml", "Talk", MediaTransport.UDP, 19002, 9, "G722");
        assertThatThrownBy(() -> platform.talk(DEVICE, AUDIO_CHANNEL, new TalkRecorder()).get(20, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(MediaFailureException.class,
                        e -> assertThat(e.failure().kind()).isEqualTo(MediaFailure.Kind.BAD_ANSWER));
        assertThat(finish(device)).as(this::logs).isZero(); // ACKed and hung up with a BYE
        assertThat(platform.mediaSessions()).isZero();
    }

    @Test
    void aBroadcastToADeviceThatNeverInvitesFailsWithNoAnswer() throws Exception {
        // the device has gone quiet since it registered (nothing listens on its port): no 200, no INVITE
        CompletableFuture<BroadcastSession> f = platform.broadcast(DEVICE, DEVICE);
        scheduler.advance(Duration.ofMillis(9_999));
        assertThat(f).isNotDone();
        scheduler.advance(Duration.ofMillis(1));
        assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(
                MediaFailureException.class, e -> assertThat(e.failure().kind()).isEqualTo(MediaFailure.Kind.NO_ANSWER));
        assertThat(platform.mediaSessions()).isZero();
    }

    @Test
    void capturedPicturesUploadedByCurlArriveAndFitThePictureBuffer() throws Exception {
        RealPeers.requirePrograms("curl", "curl");
        byte[][] jpegs = new byte[2][];
        for (int i = 1; i <= 2; i++) {
            Path jpg = dir.resolve("snap" + i + ".jpg");
            Process ff = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                    "testsrc=size=320x240:rate=25", "-ss", Integer.toString(i), "-frames:v", "1", jpg.toString())
                    .redirectErrorStream(true).start();
            assertThat(ff.waitFor(60, TimeUnit.SECONDS) && ff.exitValue() == 0).isTrue();
            jpegs[i - 1] = Files.readAllBytes(jpg);
        }
        Process device = uas("gb28181_snapshot.xml", "Play", MediaTransport.UDP, 19000);
        List<Snapshot> pictures;
        try {
            pictures = platform.snapshot(DEVICE, CHANNEL, 2, Duration.ofSeconds(1)).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            finish(device);
            throw new AssertionError(logs(), e);
        }
        assertThat(pictures).hasSize(2);
        assertThat(pictures).extracting(Snapshot::index).containsExactly(1, 2);
        assertThat(List.of(pictures.get(0).jpeg(), pictures.get(1).jpeg())).satisfiesExactlyInAnyOrder(
                j -> assertThat(j).isEqualTo(jpegs[0]), j -> assertThat(j).isEqualTo(jpegs[1]));
        org.arc4j.media.buffer.PreAlarmBuffer buffer = new org.arc4j.media.buffer.PreAlarmBuffer(CHANNEL,
                Duration.ofSeconds(10), new org.arc4j.media.buffer.BufferBudget(1 << 20, new SimpleMetrics()));
        for (Snapshot p : pictures) {
            assertThat(buffer.add(p.toBufferedFrame())).isTrue();
        }
        assertThat(buffer.frames()).isEqualTo(2);
        assertThat(finish(device)).as(this::logs).isZero(); // UploadSnapShotFinished was answered
    }

    @Test
    void psFromTheSdkMuxerArrivesUnitForUnit() throws Exception {
        // access units of an ffmpeg-made H.265 stream, re-muxed by sdk-media's PsMuxer as a cascading platform
        // or a device built on arc4j would send them
        Path vob = dir.resolve("pattern.vob");
        Process ff = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                "testsrc=size=320x240:rate=25", "-t", "2", "-c:v", "libx265", "-x265-params", "log-level=error",
                "-g", "25", "-pix_fmt", "yuv420p", "-f", "vob", vob.toString()).redirectErrorStream(true).start();
        assertThat(ff.waitFor(60, TimeUnit.SECONDS) && ff.exitValue() == 0).isTrue();
        List<AccessUnit> sent = new ArrayList<>();
        org.arc4j.media.ps.PsDemuxer source = new org.arc4j.media.ps.PsDemuxer(1 << 20, (type, unit) -> sent.add(unit));
        byte[] bytes = Files.readAllBytes(vob);
        source.feed(bytes, 0, bytes.length);
        source.flush();
        assertThat(sent).hasSizeGreaterThanOrEqualTo(49);

        Process device = uas("gb28181_invite_answer.xml", "Play", MediaTransport.TCP_PASSIVE, 19000);
        MediaSession s = platform.invite(MediaRequest.live(DEVICE, CHANNEL), recorder).get(20, TimeUnit.SECONDS);
        org.arc4j.media.ps.PsMuxer muxer = new org.arc4j.media.ps.PsMuxer(PsStreamType.H265, null);
        org.arc4j.media.ps.PsRtpPacketizer packetizer = new org.arc4j.media.ps.PsRtpPacketizer(
                GbSdp.ssrcValue(s.answeredSsrc()), 1, 1400);
        long packets = 0;
        try (PsRtpSender.Out out = out(MediaTransport.TCP_PASSIVE, s, null)) {
            for (AccessUnit u : sent) {
                for (org.arc4j.media.rtp.RtpPacket p : packetizer.packetize(muxer.video(u), u.timestamp())) {
                    out.send(p.encode());
                    packets++;
                }
            }
        }
        long all = packets;
        // the demuxer hands a unit on when the next begins; the last ones come when the session ends
        await(() -> s.packets() == all, "every packet",
                () -> recorder.frames.size() + " of " + sent.size() + ", packets " + s.packets() + ", "
                        + recorder.invalid);
        s.close(); // or the device's closed connection ended it: either way what was received is handed on
        await(() -> recorder.frames.size() == sent.size(), "every unit");
        assertThat(recorder.invalid).isEmpty();
        for (int i = 0; i < sent.size(); i++) {
            AccessUnit a = sent.get(i);
            AccessUnit b = recorder.frames.get(i);
            assertThat(b.timestamp()).isEqualTo(a.timestamp());
            assertThat(b.toAnnexB()).as("unit %d", i).isEqualTo(a.toAnnexB());
        }
        assertThat(finish(device)).as(this::logs).isZero();
    }

    @Test
    void aTalkOverTcpCarriesG711BothWaysOnOneConnectionThroughTheInterceptor() throws Exception {
        // the device connects (a=setup:active) to the platform's port; its A-law is scrambled on the wire and the
        // platform's interceptor, which now sees talk audio too, unscrambles it
        List<MediaDialog> seen = new CopyOnWriteArrayList<>();
        platform.securityInterceptors(org.arc4j.gb28181.sip.SipInterceptor.NONE, (dialog, p) -> {
            seen.add(dialog);
            return scramble(p.payload());
        });
        Path tcp = dir.resolve("gb28181_talk_tcp.xml");
        Files.writeString(tcp, Files.readString(dir.resolve("gb28181_talk.xml"))
                .replace("m=audio [0-9]+ RTP/AVP 8 0", "m=audio [0-9]+ TCP/RTP/AVP 8 0")
                .replace("<ereg regexp=\"a=sendrecv\"", "<ereg regexp=\"a=setup:passive\" search_in=\"body\" "
                        + "check_it=\"true\" assign_to=\"su\"/><log message=\"setup [$su]\"/>\n      <ereg regexp=\"a=sendrecv\"")
                .replace("m=audio [mport] RTP/AVP [pt]", "m=audio [mport] TCP/RTP/AVP [pt]\n      a=setup:active"));
        Process device = uas(tcp.getFileName().toString(), "Talk", MediaTransport.UDP, 9, 8, "PCMA");
        TalkRecorder talker = new TalkRecorder();
        TalkSession t = platform.talk(DEVICE, AUDIO_CHANNEL, MediaTransport.TCP_PASSIVE, talker)
                .get(20, TimeUnit.SECONDS);
        assertThat(t.transport()).isEqualTo(MediaTransport.TCP_PASSIVE);
        try (Socket connection = new Socket(InetAddress.getLoopbackAddress(), t.localAudioAddress().getPort())) {
            connection.setSoTimeout(10_000);
            PsRtpSender.Out out = PsRtpSender.tcp(connection);
            byte[] spoken = alawTone(440);
            org.arc4j.media.rtp.G711RtpSender voice = new org.arc4j.media.rtp.G711RtpSender(8, -1, 100_000_088L, 7, 0);
            for (byte[] b : voice.audio(spoken)) {
                org.arc4j.media.rtp.RtpPacket p = ((org.arc4j.media.rtp.RtpDecodeResult.Valid)
                        org.arc4j.media.rtp.RtpPacket.decode(b, 0, b.length)).packet();
                out.send(new org.arc4j.media.rtp.RtpPacket(p.marker(), p.payloadType(), p.sequence(), p.timestamp(),
                        p.ssrc(), 0, scramble(p.payload())).encode());
            }
            await(() -> talker.audio.size() >= spoken.length, "the device's second of audio",
                    () -> talker.audio.size() + " codes");
            assertThat(talker.audio.toByteArray()).isEqualTo(spoken);
            assertThat(seen).hasSize(50).allSatisfy(d -> assertThat(d).isSameAs(t));

            // the platform speaks on the same connection, each packet behind its 16-bit length
            byte[] codes = alawTone(1000);
            assertThat(t.send(codes)).isEqualTo(50);
            java.io.ByteArrayOutputStream heard = new java.io.ByteArrayOutputStream();
            java.io.DataInputStream in = new java.io.DataInputStream(connection.getInputStream());
            for (int i = 0; i < 50; i++) {
                org.arc4j.media.rtp.RtpPacket p = rtpFrame(in);
                assertThat(p.payloadType()).isEqualTo(8);
                assertThat(p.ssrc()).isEqualTo(t.ssrc());
                heard.write(p.payload());
            }
            assertThat(heard.toByteArray()).isEqualTo(codes);
            t.close();
        }
        assertThat(finish(device)).as(this::logs).isZero(); // the BYE reached the device
        assertThat(talker.closed).containsExactly("closed");
        assertThat(platform.mediaSessions()).isZero();
    }

    @Test
    void aVoiceBroadcastOverTcpConnectsToAListeningDeviceAndFramesItsG711() throws Exception {
        try (ServerSocket speaker = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            speaker.setSoTimeout(10_000);
            Path tcp = dir.resolve("gb28181_broadcast_tcp.xml");
            Files.writeString(tcp, Files.readString(dir.resolve("gb28181_broadcast.xml"))
                    .replace("m=audio [mport] RTP/AVP 8", "m=audio [mport] TCP/RTP/AVP 8\n      a=setup:passive")
                    .replace("<ereg regexp=\"m=audio [0-9]+ RTP/AVP 8\" search_in=\"body\" check_it=\"true\" "
                            + "assign_to=\"ma\"/>", "<ereg regexp=\"m=audio 9 TCP/RTP/AVP 8\" search_in=\"body\" "
                            + "check_it=\"true\" assign_to=\"ma\"/>\n      <ereg regexp=\"a=setup:active\" "
                            + "search_in=\"body\" check_it=\"true\" assign_to=\"su\"/><log message=\"setup [$su]\"/>"));
            Process device = uas(tcp.getFileName().toString(), "Play", MediaTransport.UDP, speaker.getLocalPort());
            BroadcastSession b = platform.broadcast(DEVICE, AUDIO_CHANNEL).get(20, TimeUnit.SECONDS);
            assertThat(b.transport()).isEqualTo(MediaTransport.TCP_ACTIVE);
            try (Socket connection = speaker.accept()) {
                connection.setSoTimeout(10_000);
                byte[] codes = alawTone(1000);
                assertThat(b.send(codes)).isEqualTo(50);
                java.io.DataInputStream in = new java.io.DataInputStream(connection.getInputStream());
                java.io.ByteArrayOutputStream heard = new java.io.ByteArrayOutputStream();
                for (int i = 0; i < 50; i++) {
                    org.arc4j.media.rtp.RtpPacket p = rtpFrame(in);
                    assertThat(p.ssrc()).isEqualTo(100_000_077L);
                    assertThat(p.payloadType()).isEqualTo(8);
                    heard.write(p.payload());
                }
                assertThat(heard.toByteArray()).isEqualTo(codes);
                b.close();
            }
            assertThat(finish(device)).as(this::logs).isZero();
        }
    }

    @Test
    void ffmpegsSenderReportsGiveTheClockMappingAndTheLsrOfTheReceiverReports() throws Exception {
        try (DatagramSocket rtcp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            rtcp.setSoTimeout(10_000);
            Process device = uas("gb28181_invite_answer.xml", "Play", MediaTransport.UDP, rtcp.getLocalPort() - 1,
                    98, "H264");
            MediaSession s = platform.invite(MediaRequest.live(DEVICE, CHANNEL).withTransport(MediaTransport.UDP),
                    recorder).get(20, TimeUnit.SECONDS);
            assertThat(s.clockMapping()).isNull();
            Instant before = Instant.now();
            // ffmpeg's RTP muxer sends its RTCP sender reports to the port above the RTP port (RFC 3550 §11)
            Process ff = start(List.of("ffmpeg", "-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i",
                    "testsrc=size=320x240:rate=25", "-t", "1", "-c:v", "libx264", "-g", "25", "-pix_fmt", "yuv420p",
                    "-bsf:v", "dump_extra", "-f", "rtp", "-payload_type", "98", "-ssrc", "4242",
                    "rtp://127.0.0.1:" + s.localMediaAddress().getPort()), "ffmpeg-sr");
            assertThat(ff.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(ff.exitValue()).as(this::logs).isZero();
            await(() -> recorder.frames.size() >= 20 && s.clockMapping() != null, "pictures and a sender report");
            Instant after = Instant.now();
            assertThat(recorder.senderReports).allSatisfy(sr -> assertThat(sr.ssrc()).isEqualTo(4242L));
            // the first picture was taken, by ffmpeg's wall clock, while it ran
            assertThat(s.clockMapping().wallClock(recorder.frames.get(0).timestamp()))
                    .isBetween(before.minusSeconds(2), after.plusSeconds(2));

            scheduler.advance(Duration.ofSeconds(5)); // the report interval; the reports came at its start
            java.net.DatagramPacket d = new java.net.DatagramPacket(new byte[1500], 1500);
            rtcp.receive(d);
            org.arc4j.media.rtcp.ReportBlock block = reportBlock(java.util.Arrays.copyOf(d.getData(), d.getLength()));
            assertThat(block.ssrc()).isEqualTo(4242L);
            assertThat(recorder.senderReports).extracting(sr -> sr.ntp().middle32())
                    .contains(block.lastSenderReport());
            assertThat(block.delaySinceLastSenderReport()).isEqualTo(5 * 65_536L);
            s.close();
            assertThat(finish(device)).as(this::logs).isZero();
        }
    }

    @Test
    void overTcpTheDevicesSenderReportsAndTheReceiverReportsShareTheMediaConnection() throws Exception {
        Process device = uas("gb28181_invite_answer.xml", "Play", MediaTransport.TCP_PASSIVE, 19000);
        MediaSession s = platform.invite(MediaRequest.live(DEVICE, CHANNEL).withMediaTimeout(Duration.ofHours(1)),
                recorder).get(20, TimeUnit.SECONDS);
        long ssrc = GbSdp.ssrcValue(s.answeredSsrc());
        try (Socket connection = new Socket(InetAddress.getLoopbackAddress(), s.localMediaAddress().getPort())) {
            connection.setSoTimeout(10_000);
            PsRtpSender.Out out = PsRtpSender.tcp(connection);
            try (PsRtpSender sender = PsRtpSender.start("libx264", 1, ssrc, out.keptOpen())) {
                sender.await(30);
                await(() -> recorder.frames.size() >= 20, "20 of the 25 frames");
            }
            java.io.DataInputStream in = new java.io.DataInputStream(connection.getInputStream());
            // the report timer runs within advance(): counting the reports sent needs no wait
            assertThat(scheduler.advance(Duration.ofSeconds(5))).isPositive();
            assertThat(metrics.counter("gb28181.media.rtcp_reports").count())
                    .as("no RTCP from the device yet: no reports on its connection").isZero();

            // the device's sender report, framed on the media connection (RFC 4571)
            org.arc4j.media.rtcp.NtpTimestamp ntp = org.arc4j.media.rtcp.NtpTimestamp.of(
                    Instant.parse("2026-03-01T01:59:58.500Z"));
            long rtpTs = recorder.frames.get(0).timestamp();
            out.send(org.arc4j.media.rtcp.RtcpCodec.INSTANCE.encode(List.of(
                    new org.arc4j.media.rtcp.RtcpPacket.SenderReport(ssrc, ntp, rtpTs, 100, 10_000, List.of()))));
            await(() -> s.clockMapping() != null, "the sender report");
            assertThat(recorder.senderReports).hasSize(1);
            assertThat(s.clockMapping().wallClock(rtpTs)).isEqualTo(ntp.toInstant());
            assertThat(s.clockMapping().wallClock(rtpTs + 45_000)).isEqualTo(ntp.toInstant().plusMillis(500));

            scheduler.advance(Duration.ofSeconds(5));
            assertThat(metrics.counter("gb28181.media.rtcp_reports").count()).isEqualTo(1);
            int length = in.readUnsignedShort();
            byte[] rr = in.readNBytes(length);
            org.arc4j.media.rtcp.ReportBlock block = reportBlock(rr);
            assertThat(block.ssrc()).isEqualTo(ssrc);
            assertThat(block.lastSenderReport()).isEqualTo(ntp.middle32());
            assertThat(block.delaySinceLastSenderReport()).isEqualTo(5 * 65_536L);
            s.close();
        }
        assertThat(finish(device)).as(this::logs).isZero();
    }

    @Test
    void aacOfThePayloadTypeTheAnswerNamesMpeg4GenericArrivesAsAdtsThatFfprobeReads() throws Exception {
        // the answer maps 97 to AAC as ffmpeg describes what it sends (its -sdp_file, verbatim)
        Path aac = dir.resolve("gb28181_invite_aac.xml");
        Files.writeString(aac, Files.readString(dir.resolve("gb28181_invite_answer.xml"))
                .replace("m=video [mport] [proto] [pt]", "m=video [mport] [proto] [pt] 97")
                .replace("a=rtpmap:[pt] [enc]/90000", "a=rtpmap:[pt] [enc]/90000\n      a=rtpmap:97 MPEG4-GENERIC/8000/1"
                        + "\n      a=fmtp:97 profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;"
                        + "indexdeltalength=3; config=158856E500"));
        Process device = uas(aac.getFileName().toString(), "Play", MediaTransport.UDP, 19000);
        MediaSession s = platform.invite(MediaRequest.live(DEVICE, CHANNEL).withTransport(MediaTransport.UDP),
                recorder).get(20, TimeUnit.SECONDS);
        Process ff = start(List.of("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=8000", "-t", "1", "-ac", "1", "-c:a", "aac", "-b:a", "24k",
                "-f", "rtp", "-payload_type", "97", "-ssrc", "777",
                "rtp://127.0.0.1:" + s.localMediaAddress().getPort()), "ffmpeg-aac");
        assertThat(ff.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ff.exitValue()).as(this::logs).isZero();
        await(() -> recorder.audio.size() >= 7, "a second of AAC", () -> recorder.audio.size() + " frames");
        assertThat(recorder.audioTypes).containsOnly(PsStreamType.AAC);
        Path adts = dir.resolve("received.aac");
        try (java.io.OutputStream os = Files.newOutputStream(adts)) {
            for (byte[] f : recorder.audio) {
                os.write(f);
            }
        }
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-show_streams", "-count_frames", adts.toString())
                .redirectErrorStream(true).start();
        String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(report).contains("codec_name=aac", "sample_rate=8000", "channels=1");
        assertThat(Integer.parseInt(report.replaceAll("(?s).*nb_read_frames=(\\d+).*", "$1")))
                .isEqualTo(recorder.audio.size());
        s.close();
        assertThat(finish(device)).as(this::logs).isZero();
    }

    @Test
    void aRecordInfoQueryCollectsTheDevicesPartsUpToSumNum() throws Exception {
        Process device = uas("gb28181_recordinfo.xml", "Play", MediaTransport.UDP, 19000);
        List<Map<String, String>> records = platform.queryRecordInfo(DEVICE, CHANNEL,
                java.time.LocalDateTime.parse("2026-02-28T08:00:00"),
                java.time.LocalDateTime.parse("2026-02-28T09:00:00")).get(20, TimeUnit.SECONDS);
        assertThat(records).extracting(r -> r.get("FilePath")).containsExactly("/rec/0800.ps", "/rec/0830.ps");
        assertThat(records).extracting(r -> r.get("StartTime"))
                .containsExactly("2026-02-28T08:00:00", "2026-02-28T08:30:00");
        assertThat(records).extracting(r -> r.get("Type")).containsExactly("time", "alarm");
        assertThat(records).allSatisfy(r -> assertThat(r.get("DeviceID")).isEqualTo(CHANNEL));
        assertThat(finish(device)).as(this::logs).isZero(); // both parts were answered 200
    }

    // ---------------------------------------------------------------- helpers

    /** The test's stand-in for a security layer: every payload byte flipped by a mask, both ways. */
    private static byte[] scramble(byte[] b) {
        byte[] out = b.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] ^= 0x5A;
        }
        return out;
    }

    /** One RFC 4571 frame holding an RTP packet. */
    private static org.arc4j.media.rtp.RtpPacket rtpFrame(java.io.DataInputStream in) throws IOException {
        byte[] b = in.readNBytes(in.readUnsignedShort());
        return ((org.arc4j.media.rtp.RtpDecodeResult.Valid) org.arc4j.media.rtp.RtpPacket.decode(b, 0, b.length))
                .packet();
    }

    /** The one report block of a compound RR + SDES. */
    private static org.arc4j.media.rtcp.ReportBlock reportBlock(byte[] compound) {
        var r = org.arc4j.media.rtcp.RtcpCodec.INSTANCE.decode(compound, 0, compound.length);
        assertThat(r).isInstanceOf(org.arc4j.media.rtcp.RtcpDecodeResult.Valid.class);
        var first = ((org.arc4j.media.rtcp.RtcpDecodeResult.Valid) r).packets().get(0);
        assertThat(first).isInstanceOf(org.arc4j.media.rtcp.RtcpPacket.ReceiverReport.class);
        List<org.arc4j.media.rtcp.ReportBlock> blocks = ((org.arc4j.media.rtcp.RtcpPacket.ReceiverReport) first)
                .blocks();
        assertThat(blocks).hasSize(1);
        return blocks.get(0);
    }

    /** Writes what the listener received as a fragmented MP4 and returns ffprobe's report on it. */
    private String probeClip(VideoCodec codec) throws Exception {
        Path mp4 = dir.resolve("received.mp4");
        try (java.io.OutputStream os = Files.newOutputStream(mp4)) {
            org.arc4j.media.clip.Fmp4Writer w = new org.arc4j.media.clip.Fmp4Writer(os, codec, null, Map.of());
            for (AccessUnit u : recorder.frames) {
                w.add(u);
            }
            w.finish();
        }
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-show_streams", "-count_frames", mp4.toString())
                .redirectErrorStream(true).start();
        String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(report).isZero();
        return report;
    }

    private PsRtpSender.Out out(MediaTransport t, MediaSession s, ServerSocket deviceMedia) throws IOException {
        return switch (t) {
            case UDP -> PsRtpSender.udp(s.localMediaAddress());
            case TCP_PASSIVE -> PsRtpSender.tcp(new Socket(InetAddress.getLoopbackAddress(),
                    s.localMediaAddress().getPort()));
            case TCP_ACTIVE -> {
                deviceMedia.setSoTimeout(10_000);
                yield PsRtpSender.tcp(deviceMedia.accept());
            }
        };
    }

    /** One second of a tone in G.711 A-law, made by ffmpeg. */
    private static byte[] alawTone(int hz) throws Exception {
        Process ff = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                "sine=frequency=" + hz + ":sample_rate=8000", "-t", "1", "-ac", "1", "-c:a", "pcm_alaw", "-f", "alaw",
                "pipe:1").start();
        byte[] codes = ff.getInputStream().readAllBytes();
        assertThat(ff.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(codes).hasSize(8000);
        return codes;
    }

    /** What the device's audio port heard: so many 20 ms A-law packets of one SSRC, in sequence. */
    private static byte[] heard(DatagramSocket port, int packets, long ssrc) throws IOException {
        java.io.ByteArrayOutputStream heard = new java.io.ByteArrayOutputStream();
        java.net.DatagramPacket d = new java.net.DatagramPacket(new byte[2048], 2048);
        int previous = -1;
        for (int i = 0; i < packets; i++) {
            port.receive(d);
            var r = org.arc4j.media.rtp.RtpPacket.decode(d.getData(), 0, d.getLength());
            org.arc4j.media.rtp.RtpPacket p = ((org.arc4j.media.rtp.RtpDecodeResult.Valid) r).packet();
            assertThat(p.payloadType()).isEqualTo(8);
            assertThat(p.ssrc()).isEqualTo(ssrc);
            assertThat(p.payloadLength()).isEqualTo(160);
            if (previous >= 0) {
                assertThat(p.sequence()).isEqualTo((previous + 1) & 0xFFFF);
            }
            previous = p.sequence();
            heard.write(p.payload());
        }
        return heard.toByteArray();
    }

    /** sipp as the device's UAS on the port it registered from, ready when it holds that port. */
    private Process uas(String scenario, String sname, MediaTransport t, int mediaPort) throws Exception {
        return uas(scenario, sname, t, mediaPort, 96, "PS");
    }

    private Process uas(String scenario, String sname, MediaTransport t, int mediaPort, int pt, String enc)
            throws Exception {
        Process p = start(List.of("sipp", "-sf", scenario, "-t", "u1", "-i", "127.0.0.1", "-p",
                Integer.toString(devicePort), "-m", "1", "-key", "dev", DEVICE, "-key", "platform", PLATFORM,
                "-key", "channel", CHANNEL, "-key", "sname", sname, "-key", "proto", t == MediaTransport.UDP ? "RTP/AVP" : "TCP/RTP/AVP",
                "-key", "setup", t == MediaTransport.TCP_ACTIVE ? "passive" : "active",
                "-key", "mport", Integer.toString(mediaPort), "-key", "pt", Integer.toString(pt), "-key", "enc", enc,
                "-timeout", "60s", "-timeout_error", "-nostdin",
                "-trace_err", "-trace_msg"), scenario);
        await(() -> {
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", devicePort))) {
                return probe.isClosed(); // bound: sipp is not there yet
            } catch (BindException e) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }, "sipp listening");
        return p;
    }

    private Process sipp(String scenario, String gbVer) throws IOException {
        return start(List.of("sipp", "127.0.0.1:" + platform.stack().udpAddress().getPort(), "-sf", scenario,
                "-t", "u1", "-i", "127.0.0.1", "-p", Integer.toString(devicePort), "-m", "1", "-key", "dev", DEVICE,
                "-key", "platform", PLATFORM, "-key", "domain", "3402000000", "-key", "gbver", gbVer, "-au", DEVICE, "-ap", PASSWORD,
                "-timeout", "30s", "-timeout_error", "-nostdin", "-trace_err", "-trace_msg"), scenario);
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

    private static int freeUdpPort() throws IOException {
        return org.arc4j.gb28181.SippRuns.freeUdpPort();
    }

    /** Polls a condition the real peers bring about; the bound is a test timeout, not a measured time. */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        await(condition, what, () -> "");
    }

    private static void await(BooleanSupplier condition, String what, java.util.function.Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + " " + state.get());
            }
            Thread.sleep(20);
        }
    }

    /** What a talk's listener heard. */
    static final class TalkRecorder implements TalkListener {
        final java.io.ByteArrayOutputStream audio = new java.io.ByteArrayOutputStream();
        final List<Integer> payloadTypes = new CopyOnWriteArrayList<>();
        final List<String> closed = new CopyOnWriteArrayList<>();

        @Override
        public void onAudio(TalkSession session, int payloadType, byte[] codes, long sampleTime) {
            synchronized (audio) {
                assertThat(sampleTime).isEqualTo(audio.size()); // no gap, no overlap
                audio.write(codes, 0, codes.length);
            }
            payloadTypes.add(payloadType);
        }

        @Override
        public void onClosed(TalkSession session, MediaFailure failure) {
            closed.add(failure == null ? "closed" : failure.kind().name());
        }
    }

    /** What the listener heard. */
    static final class Recorder implements MediaListener {
        final List<AccessUnit> frames = new CopyOnWriteArrayList<>();
        final List<PsStreamType> types = new CopyOnWriteArrayList<>();
        final List<String> closed = new CopyOnWriteArrayList<>();
        final List<MediaFailure> failures = new CopyOnWriteArrayList<>();
        final List<MediaSession> endOfFile = new CopyOnWriteArrayList<>();
        final List<org.arc4j.media.ps.PsInvalid> invalid = new CopyOnWriteArrayList<>();
        final List<org.arc4j.media.rtcp.RtcpPacket.SenderReport> senderReports = new CopyOnWriteArrayList<>();
        final List<byte[]> audio = new CopyOnWriteArrayList<>();
        final List<PsStreamType> audioTypes = new CopyOnWriteArrayList<>();

        @Override
        public void onAudio(MediaSession session, PsStreamType type, long pts, byte[] data) {
            audio.add(data);
            if (!audioTypes.contains(type)) {
                audioTypes.add(type);
            }
        }

        @Override
        public void onSenderReport(MediaSession session, org.arc4j.media.rtcp.RtcpPacket.SenderReport report) {
            assertThat(session.clockMapping()).isNotNull();
            senderReports.add(report);
        }

        @Override
        public void onInvalid(MediaSession session, org.arc4j.media.ps.PsInvalid what) {
            invalid.add(what);
        }

        @Override
        public void onVideo(MediaSession session, PsStreamType type, AccessUnit unit) {
            frames.add(unit);
            if (!types.contains(type)) {
                types.add(type);
            }
        }

        @Override
        public void onEndOfFile(MediaSession session) {
            endOfFile.add(session);
        }

        @Override
        public void onClosed(MediaSession session, MediaFailure failure) {
            closed.add(failure == null ? "closed" : failure.kind().name());
            if (failure != null) {
                failures.add(failure);
            }
        }
    }
}
