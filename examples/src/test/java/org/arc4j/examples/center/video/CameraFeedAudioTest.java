package org.arc4j.examples.center.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.media.buffer.BufferBudget;
import org.arc4j.media.buffer.BufferedFrame;
import org.arc4j.media.clip.AudioCodec;
import org.arc4j.media.ps.PsStreamType;
import org.arc4j.media.rtp.RtpPacket;
import org.arc4j.media.rtsp.MediaDescription;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.VideoCodec;
import org.junit.jupiter.api.Test;

/**
 * A camera's sound in its feed, on virtual time: G.711 and AAC (RFC 3640) packets as the RTSP session gives them,
 * kept as deep as the pictures and handed to a subscriber from the first picture on, in time order with them.
 */
class CameraFeedAudioTest {
    private static final URI CONTROL = URI.create("rtsp://127.0.0.1:9/x/track");
    private static final MediaDescription VIDEO = new MediaDescription("video", 0, "RTP/AVP", 96, "H264", 90_000,
            Map.of(), CONTROL);
    private static final MediaDescription PCMA = new MediaDescription("audio", 0, "RTP/AVP", 8, "PCMA", 8_000,
            Map.of(), CONTROL);
    private static final MediaDescription AAC = new MediaDescription("audio", 0, "RTP/AVP", 97, "MPEG4-GENERIC",
            16_000, Map.of("mode", "AAC-hbr", "sizelength", "13", "indexlength", "3", "indexdeltalength", "3",
            "config", "1408"), CONTROL);

    private final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-12-05T08:00:00Z"));
    private final CameraFeed feed = new CameraFeed(new VideoConfig.Camera("cam1", "vault", "S1", "002",
            "rtsp://127.0.0.1:9/x", null, null, null, null, 0.5, 0.5, null), Duration.ofSeconds(10),
            new BufferBudget(16 << 20, new SimpleMetrics()), scheduler.clock());

    /** 10 pictures a second (a key frame each second) and a 20 ms G.711 frame every 20 ms, for a while. */
    private void play(int seconds) {
        for (int ms = 0; ms < seconds * 1000; ms += 20) {
            long t = scheduler.clock().millis() - Instant.parse("2026-12-05T08:00:00Z").toEpochMilli();
            if (ms % 100 == 0) {
                byte[] nal = ms % 1000 == 0 ? new byte[] {0x65, 1, 2, 3} : new byte[] {0x41, 4, 5};
                feed.accessUnit(VIDEO, new AccessUnit(VideoCodec.H264, t * 90, List.of(nal), true));
            }
            feed.rtp(PCMA, new RtpPacket(false, 8, ms / 20, t * 8, 1, 0, new byte[160]));
            scheduler.advance(Duration.ofMillis(20));
        }
    }

    @Test
    void aSubscriberGetsTheSoundFromItsFirstPictureOnInTimeOrderAndThenEveryNewFrame() {
        play(15);
        // the sound is kept as deep as the pictures: 10 s
        assertThat(feed.audioBuffer.oldest()).isAfterOrEqualTo(scheduler.clock().instant().minusSeconds(11));
        List<Object> got = new ArrayList<>();
        Instant from = scheduler.clock().instant().minusMillis(5_500);
        feed.subscribe(from, got::add, got::add);
        assertThat(feed.audioTrack().codec()).isEqualTo(AudioCodec.G711A);
        BufferedFrame first = (BufferedFrame) got.get(0);
        assertThat(first.key()).isTrue();
        assertThat(first.at()).isBeforeOrEqualTo(from).isAfter(from.minusSeconds(1));
        Instant last = first.at();
        int sound = 0;
        for (Object o : got) {
            Instant at = o instanceof BufferedFrame f ? f.at() : ((AudioFrame) o).at();
            assertThat(at).isAfterOrEqualTo(last);
            last = at;
            sound += o instanceof AudioFrame ? 1 : 0;
        }
        // 50 frames a second from the key frame on: 6 s of them
        assertThat(sound).isEqualTo(300);
        got.clear();
        play(1);
        assertThat(got.stream().filter(o -> o instanceof AudioFrame).count()).isEqualTo(50);
        assertThat(got.stream().filter(o -> o instanceof BufferedFrame).count()).isEqualTo(10);
    }

    @Test
    void aGbDevicesProgramStreamAudioComesOutStampedByItsPts() {
        List<Object> got = new ArrayList<>();
        feed.subscribe(null, got::add, got::add);
        feed.psAudio(PsStreamType.G711U, 3_600, new byte[320]);
        scheduler.advance(Duration.ofMillis(40));
        feed.psAudio(PsStreamType.G711U, 7_200, new byte[320]);
        feed.psAudio(PsStreamType.AAC, 7_200, new byte[] {1, 2, 3}); // no ADTS header: not read
        feed.psAudio(PsStreamType.H264, 7_200, new byte[] {1, 2, 3});
        assertThat(feed.audioTrack().codec()).isEqualTo(AudioCodec.G711U);
        assertThat(got).hasSize(2);
        assertThat(Duration.between(((AudioFrame) got.get(0)).at(), ((AudioFrame) got.get(1)).at()))
                .isEqualTo(Duration.ofMillis(40));
    }

    @Test
    void aacUnitsComeOutOfTheirRfc3640PacketEachAtItsOwnTime() {
        // AU-headers-length 32 bits; units of 3 and 2 bytes (13-bit size, 3-bit index / index-delta 0)
        byte[] payload = {0, 32, 0, 3 << 3, 0, 2 << 3, 1, 2, 3, 4, 5};
        List<Object> got = new ArrayList<>();
        feed.subscribe(null, got::add, got::add);
        feed.rtp(AAC, new RtpPacket(true, 97, 1, 16_000, 1, 0, payload));
        assertThat(feed.audioTrack().codec()).isEqualTo(AudioCodec.AAC);
        assertThat(feed.audioTrack().sampleRate()).isEqualTo(16_000);
        assertThat(got).hasSize(2);
        AudioFrame a = (AudioFrame) got.get(0);
        AudioFrame b = (AudioFrame) got.get(1);
        assertThat(a.bytes()).containsExactly(1, 2, 3);
        assertThat(b.bytes()).containsExactly(4, 5);
        assertThat(Duration.between(a.at(), b.at())).isEqualTo(Duration.ofMillis(64));
        // a fragment of a larger unit, a header longer than the packet, and a data track: nothing
        feed.rtp(AAC, new RtpPacket(true, 97, 2, 18_048, 1, 0, new byte[] {0, 16, 0, 9 << 3, 1, 2}));
        feed.rtp(AAC, new RtpPacket(true, 97, 3, 20_096, 1, 0, new byte[] {1, 0, 0}));
        feed.rtp(new MediaDescription("application", 0, "RTP/AVP", 107, "VND.ONVIF.METADATA", 90_000, Map.of(),
                CONTROL), new RtpPacket(true, 107, 1, 0, 1, 0, new byte[] {1, 2, 3}));
        assertThat(got).hasSize(2);
    }
}
