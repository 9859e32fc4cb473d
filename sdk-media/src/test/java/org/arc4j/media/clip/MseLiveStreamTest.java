package org.arc4j.media.clip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.FfmpegPeer;
import org.arc4j.media.video.VideoCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.arc4j.core.testkit.Await;

/** Live view through Media Source Extensions, on ffmpeg-made H.264, H.265, AAC and G.711; ffprobe reads the result. */
class MseLiveStreamTest {
    @TempDir
    Path dir;

    /** Records what a viewer got, in order. */
    static class Recorder implements MseLiveStream.Listener {
        final List<Object> events = new CopyOnWriteArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String mimeType;

        @Override
        public synchronized void onInit(String type, byte[] segment) {
            mimeType = type;
            events.add("init");
            bytes.writeBytes(segment);
        }

        @Override
        public synchronized void onSegment(Fmp4Segmenter.Segment segment) {
            events.add(segment);
            bytes.writeBytes(segment.bytes());
        }

        @Override
        public void onUnplayable(MseLiveStream.Unplayable notice) {
            events.add(notice);
        }

        @Override
        public void onG711(AudioCodec codec, long timestamp, byte[] frame) {
            events.add(frame);
        }

        List<Fmp4Segmenter.Segment> segments() {
            return events.stream().filter(Fmp4Segmenter.Segment.class::isInstance)
                    .map(Fmp4Segmenter.Segment.class::cast).toList();
        }
    }

    /** The two seconds of test pattern played {@code loops} times, the timestamps running on. */
    static List<AccessUnit> loop(List<AccessUnit> units, int loops) {
        List<AccessUnit> out = new ArrayList<>();
        for (int l = 0; l < loops; l++) {
            for (AccessUnit u : units) {
                List<byte[]> nals = new ArrayList<>();
                for (int i = 0; i < u.nalUnitCount(); i++) {
                    nals.add(u.nalUnit(i));
                }
                out.add(new AccessUnit(u.codec(), u.timestamp() + 3600L * units.size() * l, nals, true));
            }
        }
        return out;
    }

    Path write(String name, byte[] bytes) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    @Test
    void aViewerGetsTheInitSegmentWithItsCodecsAndKeyFrameSegmentsThatPlayAsAnMp4() throws Exception {
        FfmpegPeer.require();
        MseLiveStream stream = MseLiveStream.builder().video(VideoCodec.H264).executor(Runnable::run).build();
        Recorder r = new Recorder();
        stream.subscribe(r);
        List<AccessUnit> units = Fmp4TracksTest.avc();
        units.forEach(stream::video);
        stream.flush();

        // libx264's default profile for yuv420p is High (0x64), level 1.2 for 320x240 at 25 fps (0x0c)
        assertThat(r.mimeType).matches("video/mp4; codecs=\"avc1\\.64[0-9a-f]{2}[0-9a-f]{2}\"");
        assertThat(stream.mimeType()).isEqualTo(r.mimeType);
        assertThat(r.events.get(0)).isEqualTo("init");
        assertThat(r.segments()).hasSize(2).allSatisfy(s -> assertThat(s.key()).isTrue());
        assertThat(r.segments().get(1).start()).isEqualTo(25 * 3600L);
        Path file = write("live.mp4", r.bytes.toByteArray());
        String probe = FfmpegPeer.probe(file);
        assertThat(probe).contains("codec_name=h264", "nb_read_frames=50");
    }

    @Test
    void aLateViewerGetsTheInitSegmentAtOnceAndItsFirstMediaSegmentAtTheNextKeyFrame() throws Exception {
        FfmpegPeer.require();
        MseLiveStream stream = MseLiveStream.builder().video(VideoCodec.H264).executor(Runnable::run).build();
        Recorder early = new Recorder();
        stream.subscribe(early);
        List<AccessUnit> units = loop(Fmp4TracksTest.avc(), 2);
        for (int i = 0; i < 30; i++) {
            stream.video(units.get(i)); // one segment out, five frames of the second group queued
        }
        Recorder late = new Recorder();
        stream.subscribe(late);
        assertThat(late.events).containsExactly("init");
        for (int i = 30; i < units.size(); i++) {
            stream.video(units.get(i));
        }
        stream.flush();
        assertThat(early.segments()).hasSize(4);
        // the late viewer starts with the group that was under way when it joined: whole, from its key frame
        assertThat(late.segments()).hasSize(3).allSatisfy(s -> assertThat(s.key()).isTrue());
        assertThat(late.segments().get(0).sequence()).isEqualTo(2);
        assertThat(late.segments().get(0).start()).isEqualTo(25 * 3600L);
        Path file = write("late.mp4", late.bytes.toByteArray());
        List<String> rows = Fmp4WriterTest.ffprobe(file, "-select_streams", "v", "-show_entries",
                "frame=key_frame,pts", "-of", "csv=p=0").lines().filter(l -> !l.isBlank()).toList();
        assertThat(rows).hasSize(75);
        assertThat(rows.get(0)).startsWith("1,");
        Fmp4WriterTest.assertMonotonic(rows);
    }

    @Test
    void aSlowViewerLosesWholeOldSegmentsAndNeverHoldsUpTheCameraOrTheOthers() throws Exception {
        FfmpegPeer.require();
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            MseLiveStream stream = MseLiveStream.builder().video(VideoCodec.H264).executor(executor)
                    .maxQueuedSegments(2).build();
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Recorder slow = new Recorder() {
                @Override
                public void onSegment(Fmp4Segmenter.Segment segment) {
                    super.onSegment(segment);
                    if (segment.sequence() == 1) {
                        entered.countDown();
                        try {
                            release.await(); // a browser whose socket does not drain
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            };
            Recorder fast = new Recorder();
            MseLiveStream.Subscription slowView = stream.subscribe(slow);
            MseLiveStream.Subscription fastView = stream.subscribe(fast);
            List<AccessUnit> units = loop(Fmp4TracksTest.avc(), 5); // ten groups
            for (int i = 0; i <= 25; i++) {
                stream.video(units.get(i)); // the 26th unit is a key frame: segment 1 goes out
            }
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 26; i < units.size(); i++) {
                stream.video(units.get(i)); // the slow viewer is stuck in segment 1 meanwhile
                // a camera sends a group a second: the other viewer has had each segment before the next comes
                awaitSegments(fast, stream.segments());
            }
            stream.flush();
            awaitSegments(fast, stream.segments());
            assertThat(stream.segments()).isEqualTo(10);
            // segments 2 to 10 came while it was stuck: two fit in its queue, the seven oldest were dropped
            assertThat(slowView.droppedSegments()).isEqualTo(7);
            assertThat(stream.droppedSegments()).isEqualTo(7);
            release.countDown();
            executor.shutdown();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(slow.segments()).extracting(Fmp4Segmenter.Segment::sequence).containsExactly(1, 9, 10);
            assertThat(slowView.deliveredSegments()).isEqualTo(3);
            assertThat(fast.segments()).hasSize(10);
            assertThat(fastView.droppedSegments()).isZero();
            // what the slow viewer kept still plays: each segment starts at a key frame
            Path file = write("slow.mp4", slow.bytes.toByteArray());
            assertThat(FfmpegPeer.probe(file)).contains("nb_read_frames=75");
        } finally {
            executor.shutdownNow();
        }
    }

    static void awaitSegments(Recorder r, long n) {
        Await.until(Duration.ofSeconds(10), () -> r.segments().size() >= n,
                () -> n + " segments, got " + r.segments().size());
    }

    @Test
    void h265IsUnplayableForABrowserThatSaysSoAndSentToOneThatPlaysIt() throws Exception {
        FfmpegPeer.require();
        MseLiveStream stream = MseLiveStream.builder().video(VideoCodec.H265).executor(Runnable::run).build();
        Recorder chrome = new Recorder();
        Recorder safari = new Recorder();
        stream.subscribe(chrome);
        stream.subscribe(type -> type.contains("hvc1.4.10."), false, safari);
        Fmp4TracksTest.hevc().forEach(stream::video);
        stream.flush();

        // testsrc is 4:4:4, so libx265 made format range extensions: profile 4, compatibility flag 4 (0x10), Main tier
        assertThat(stream.mimeType()).matches("video/mp4; codecs=\"hvc1\\.4\\.10\\.L[0-9]+(\\.[0-9A-F]{1,2})*\"");
        assertThat(chrome.events).singleElement().isInstanceOfSatisfying(MseLiveStream.Unplayable.class, u -> {
            assertThat(u.reason()).isEqualTo(MseLiveStream.Unplayable.Reason.VIDEO_NOT_SUPPORTED);
            assertThat(u.mimeType()).isEqualTo(stream.mimeType());
        });
        assertThat(safari.mimeType).isEqualTo(stream.mimeType());
        assertThat(safari.segments()).hasSize(2);
        assertThat(FfmpegPeer.probe(write("hevc.mp4", safari.bytes.toByteArray())))
                .contains("codec_name=hevc", "profile=Rext", "nb_read_frames=50");
    }

    @Test
    void g711IsLeftOutOfTheSegmentsAndDroppedWithANoticeOrSentRawToAViewerThatDecodesIt() throws Exception {
        FfmpegPeer.require();
        MseLiveStream stream = MseLiveStream.builder().video(VideoCodec.H264).audio(AudioTrack.g711a())
                .executor(Runnable::run).build();
        Recorder plain = new Recorder();
        Recorder webAudio = new Recorder();
        stream.subscribe(plain);
        stream.subscribe(MseLiveStream::commonlySupported, true, webAudio);
        byte[] pcm = FfmpegPeer.tone("pcm_alaw", "alaw", 8000);
        List<AccessUnit> units = Fmp4TracksTest.avc();
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            stream.video(units.get(i));
            byte[] twenty = Arrays.copyOfRange(pcm, 160 * 2 * i, 160 * 2 * i + 160);
            byte[] forty = Arrays.copyOfRange(pcm, 160 * 2 * i + 160, 160 * 2 * i + 320);
            assertThat(stream.audio(units.get(i).timestamp(), twenty)).isEqualTo(Fmp4Segmenter.Added.QUEUED);
            assertThat(stream.audio(units.get(i).timestamp() + 1800, forty)).isEqualTo(Fmp4Segmenter.Added.QUEUED);
            frames.add(twenty);
            frames.add(forty);
        }
        stream.flush();

        assertThat(stream.mimeType()).doesNotContain("alaw").startsWith("video/mp4; codecs=\"avc1.");
        assertThat(plain.events.get(0)).isInstanceOfSatisfying(MseLiveStream.Unplayable.class, u -> {
            assertThat(u.reason()).isEqualTo(MseLiveStream.Unplayable.Reason.G711_DROPPED);
            assertThat(u.audio()).isEqualTo(AudioCodec.G711A);
        });
        assertThat(plain.events).noneMatch(byte[].class::isInstance);
        assertThat(webAudio.events.get(0)).isInstanceOfSatisfying(MseLiveStream.Unplayable.class,
                u -> assertThat(u.reason()).isEqualTo(MseLiveStream.Unplayable.Reason.G711_RAW));
        List<byte[]> raw = webAudio.events.stream().filter(byte[].class::isInstance).map(byte[].class::cast).toList();
        assertThat(raw).hasSize(100);
        for (int i = 0; i < raw.size(); i++) {
            assertThat(raw.get(i)).isEqualTo(frames.get(i));
        }
        // the segments hold video only: ffprobe finds no audio stream in them
        String probe = FfmpegPeer.probe(write("g711.mp4", plain.bytes.toByteArray()));
        assertThat(probe).contains("codec_name=h264").doesNotContain("codec_type=audio");
    }

    @Test
    void aacGoesIntoTheSegmentsAsMp4a() throws Exception {
        FfmpegPeer.require();
        List<byte[]> frames = Fmp4TracksTest.adts(FfmpegPeer.tone("aac", "adts", 16000));
        MseLiveStream stream = MseLiveStream.builder().video(VideoCodec.H264)
                .audio(AudioTrack.aacFromAdts(frames.get(0))).executor(Runnable::run).build();
        Recorder r = new Recorder();
        stream.subscribe(r);
        List<AccessUnit> units = Fmp4TracksTest.avc();
        long step = 1024L * 90_000 / 16000;
        int a = 0;
        for (AccessUnit u : units) {
            stream.video(u);
            while (a < frames.size() && units.get(0).timestamp() + a * step < u.timestamp() + 3600) {
                stream.audio(units.get(0).timestamp() + a * step, frames.get(a++));
            }
        }
        stream.flush();
        assertThat(r.mimeType).matches("video/mp4; codecs=\"avc1\\.[0-9a-f]{6},mp4a\\.40\\.2\"");
        assertThat(r.events).noneMatch(MseLiveStream.Unplayable.class::isInstance);
        assertThat(FfmpegPeer.probe(write("aac.mp4", r.bytes.toByteArray()))).contains("codec_name=aac");
    }

    @Test
    void aListenerThatFailsIsClosedAndTheOthersCarryOn() throws Exception {
        FfmpegPeer.require();
        MseLiveStream stream = MseLiveStream.builder().video(VideoCodec.H264).executor(Runnable::run).build();
        Recorder good = new Recorder();
        MseLiveStream.Subscription bad = stream.subscribe(new Recorder() {
            @Override
            public void onSegment(Fmp4Segmenter.Segment segment) {
                throw new IllegalStateException("socket closed");
            }
        });
        stream.subscribe(good);
        Fmp4TracksTest.avc().forEach(stream::video);
        stream.flush();
        assertThat(stream.viewers()).isEqualTo(1);
        assertThat(bad.deliveredSegments()).isZero();
        assertThat(good.segments()).hasSize(2);
    }

    @Test
    void commonlySupportedIsH264AndAacOnly() {
        assertThat(MseLiveStream.commonlySupported("video/mp4; codecs=\"avc1.64001f,mp4a.40.2\"")).isTrue();
        assertThat(MseLiveStream.commonlySupported("audio/mp4; codecs=\"mp4a.40.5\"")).isTrue();
        assertThat(MseLiveStream.commonlySupported("video/mp4; codecs=\"hvc1.1.6.L93.B0\"")).isFalse();
        assertThat(MseLiveStream.commonlySupported("video/mp4; codecs=\"avc1.64001f,alaw\"")).isFalse();
        assertThat(MseLiveStream.commonlySupported("video/mp4")).isFalse();
    }
}
