package org.arc4j.media.rtsp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.Sps;
import org.arc4j.media.video.SpsParser;
import org.arc4j.media.video.SpsResult;
import org.arc4j.media.video.VideoCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The client against GStreamer's RTSP server (gst-rtsp-server through Python): H.264 from x264enc (also aggregated
 * into STAP-A by {@code rtph264pay aggregate-mode=max-stap}) and H.265 from x265enc ({@code rtph265pay
 * aggregate-mode=max}), over TCP interleaved and UDP, with and without MD5 Digest. Each case plays until ten access
 * units have arrived and checks what a decoder would: a key picture first, intact, whose SPS says 320x240.
 */
class RtspGstreamerTest {
    private static final String SOURCE = "videotestsrc is-live=true ! video/x-raw,width=320,height=240,framerate=25/1";
    private static SystemScheduler scheduler;

    @BeforeAll
    static void scheduler() {
        scheduler = new SystemScheduler();
    }

    @AfterAll
    static void stop() {
        scheduler.close();
    }

    static String pipeline(String codec) {
        return switch (codec) {
            case "h264" -> "( " + SOURCE + " ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 "
                    + "! rtph264pay name=pay0 pt=96 )";
            case "h264-stap" -> "( " + SOURCE + " ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 "
                    + "! rtph264pay name=pay0 pt=96 aggregate-mode=max-stap )";
            case "h265" -> "( " + SOURCE + " ! x265enc tune=zerolatency speed-preset=ultrafast key-int-max=25 "
                    + "! rtph265pay name=pay0 pt=96 aggregate-mode=max )";
            default -> throw new IllegalArgumentException(codec);
        };
    }

    @ParameterizedTest(name = "{0} over {1}, digest {2}")
    @CsvSource({
        "h264,      TCP_INTERLEAVED, false",
        "h264,      UDP,             true",
        "h264-stap, TCP_INTERLEAVED, true",
        "h264-stap, UDP,             false",
        "h265,      TCP_INTERLEAVED, false",
        "h265,      UDP,             true",
    })
    void playsTheTestPattern(String codec, RtspTransport transport, boolean digest) throws Exception {
        try (GstRtspPeer server = GstRtspPeer.start(pipeline(codec), digest ? "viewer" : null, "s3cret", "any")) {
            Recorder rec = new Recorder(10);
            RtspClient client = RtspClient.builder(server.uri()).scheduler(scheduler).transports(transport)
                    .credentials("viewer", Secret.ofUtf8("s3cret")).build();
            try (RtspSession session = client.start(rec)) {
                assertThat(rec.enough.await(20, TimeUnit.SECONDS)).as("10 access units; errors %s", rec.errors)
                        .isTrue();
                assertThat(session.state()).isEqualTo(RtspState.PLAYING);
                assertThat(session.transport()).isEqualTo(transport);
            }
            VideoCodec expected = codec.startsWith("h265") ? VideoCodec.H265 : VideoCodec.H264;
            assertPictures(rec.units, expected);
            assertThat(rec.errors).isEmpty();
            assertThat(rec.track.get(0).videoCodec()).isEqualTo(expected);
            assertThat(rec.track.get(0).control().toString()).startsWith(server.uri().toString());
        }
    }

    @Test
    void serverThatRefusesTcpIsPlayedOverUdpWithTheDefaultPreference() throws Exception {
        try (GstRtspPeer server = GstRtspPeer.start(pipeline("h264"), null, null, "udp")) {
            Recorder rec = new Recorder(5);
            try (RtspSession session = RtspClient.builder(server.uri()).scheduler(scheduler).build().start(rec)) {
                assertThat(rec.enough.await(20, TimeUnit.SECONDS)).as("errors %s", rec.errors).isTrue();
                assertThat(session.transport()).isEqualTo(RtspTransport.UDP);
            }
            assertPictures(rec.units, VideoCodec.H264);
        }
    }

    @Test
    void audioTrackArrivesAsRtpBesideTheVideo() throws Exception {
        String launch = pipeline("h264").replace(" )", " audiotestsrc is-live=true ! audio/x-raw,rate=8000,channels=1 "
                + "! alawenc ! rtppcmapay name=pay1 pt=8 )");
        try (GstRtspPeer server = GstRtspPeer.start(launch, null, null, "any")) {
            Recorder rec = new Recorder(5);
            List<org.arc4j.media.rtp.RtpPacket> audio = new CopyOnWriteArrayList<>();
            CountDownLatch audioSeen = new CountDownLatch(10);
            RtspListener both = new RtspListener() {
                @Override
                public void accessUnit(MediaDescription track, AccessUnit au) {
                    rec.accessUnit(track, au);
                }

                @Override
                public void rtp(MediaDescription track, org.arc4j.media.rtp.RtpPacket packet) {
                    assertThat(track.encodingName()).isEqualTo("PCMA");
                    audio.add(packet);
                    audioSeen.countDown();
                }
            };
            try (RtspSession session = RtspClient.builder(server.uri()).scheduler(scheduler).build().start(both)) {
                assertThat(rec.enough.await(20, TimeUnit.SECONDS)).isTrue();
                assertThat(audioSeen.await(20, TimeUnit.SECONDS)).isTrue();
                assertThat(session.transport()).isEqualTo(RtspTransport.TCP_INTERLEAVED);
            }
            assertPictures(rec.units, VideoCodec.H264);
            assertThat(audio).allMatch(p -> p.payloadType() == 8 && p.payloadLength() > 0);
            for (int i = 1; i < audio.size(); i++) {   // in order
                assertThat((audio.get(i).sequence() - audio.get(i - 1).sequence()) & 0xFFFF).isEqualTo(1);
            }
        }
    }

    @Test
    void serverRestartIsSurvived() throws Exception {
        GstRtspPeer server = GstRtspPeer.start(pipeline("h264"), null, null, "any");
        int port = server.uri().getPort();
        RtspScriptedServerTest.Events ev = new RtspScriptedServerTest.Events();
        try (RtspSession session = RtspClient.builder(server.uri()).scheduler(scheduler)
                .backoff(Duration.ofMillis(200), Duration.ofMillis(400)).build().start(ev)) {
            ev.awaitState(RtspState.PLAYING);
            ev.awaitUnits(3);
            server.close();
            ev.awaitState(RtspState.RECONNECTING);
            assertThat(ev.errors.poll(10, TimeUnit.SECONDS).kind()).isEqualTo(RtspErrorKind.CONNECTION_LOST);
            server = GstRtspPeer.start(pipeline("h264"), null, null, "any", port);
            ev.awaitState(RtspState.PLAYING);
            int before = ev.units.size();
            ev.awaitUnits(before + 5);
            assertThat(session.connections()).isGreaterThanOrEqualTo(2);
            assertPictures(ev.units.subList(before, ev.units.size()).stream()
                    .dropWhile(au -> !au.isKey()).toList(), VideoCodec.H264);
        } finally {
            server.close();
        }
    }

    @Test
    void wrongDigestPasswordIsAnAuthenticationError() throws Exception {
        try (GstRtspPeer server = GstRtspPeer.start(pipeline("h264"), "viewer", "s3cret", "any")) {
            Recorder rec = new Recorder(1);
            // credentials in the URI are taken and removed from everything the session shows
            URI withLogin = URI.create("rtsp://viewer:wrong@127.0.0.1:" + server.uri().getPort() + "/test");
            try (RtspSession session = RtspClient.builder(withLogin).scheduler(scheduler)
                    .backoff(Duration.ofSeconds(30), Duration.ofSeconds(30)).build().start(rec)) {
                assertThat(session.uri()).isEqualTo(server.uri());
                assertThat(rec.firstError.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(rec.errors.get(0).kind()).isEqualTo(RtspErrorKind.AUTHENTICATION_FAILED);
                assertThat(rec.errors.get(0).status()).isEqualTo(401);
                assertThat(rec.errors.get(0).detail()).doesNotContain("wrong");
                assertThat(session.state()).isEqualTo(RtspState.RECONNECTING);
            }
            assertThat(rec.units).isEmpty();
        }
    }

    static void assertPictures(List<AccessUnit> units, VideoCodec codec) {
        assertThat(units).hasSizeGreaterThanOrEqualTo(5);
        AccessUnit first = units.get(0);
        assertThat(first.codec()).isEqualTo(codec);
        assertThat(first.isKey()).isTrue();
        assertThat(units).allMatch(AccessUnit::isIntact);
        byte[] sps = null;
        for (int i = 0; i < first.nalUnitCount(); i++) {
            if (codec.nalType(first.nalUnit(i)) == codec.spsType()) {
                sps = first.nalUnit(i);
            }
        }
        assertThat(sps).as("SPS in the key picture").isNotNull();
        SpsResult r = SpsParser.INSTANCE.parse(codec, sps);
        assertThat(r).isInstanceOf(SpsResult.Valid.class);
        Sps s = ((SpsResult.Valid) r).sps();
        assertThat(s.width()).isEqualTo(320);
        assertThat(s.height()).isEqualTo(240);
        for (int i = 1; i < units.size(); i++) {
            assertThat(units.get(i).timestamp()).isNotEqualTo(units.get(i - 1).timestamp());
        }
    }

    /** Keeps what the session delivers; the first key picture starts the record, as a decoder would. */
    static final class Recorder implements RtspListener {
        final List<AccessUnit> units = new CopyOnWriteArrayList<>();
        final List<MediaDescription> track = new CopyOnWriteArrayList<>();
        final List<RtspError> errors = new CopyOnWriteArrayList<>();
        final List<RtspState> states = new CopyOnWriteArrayList<>();
        final CountDownLatch enough;
        final CountDownLatch firstError = new CountDownLatch(1);

        Recorder(int wanted) {
            enough = new CountDownLatch(wanted);
        }

        @Override
        public void accessUnit(MediaDescription t, AccessUnit au) {
            if (units.isEmpty() && !au.isKey()) {
                return;
            }
            if (track.isEmpty()) {
                track.add(t);
            }
            units.add(au);
            enough.countDown();
        }

        @Override
        public void state(RtspState state, SessionDescription description) {
            states.add(state);
        }

        @Override
        public void error(RtspError error) {
            errors.add(error);
            firstError.countDown();
        }
    }
}
