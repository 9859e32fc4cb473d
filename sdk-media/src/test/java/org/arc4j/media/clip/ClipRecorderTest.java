package org.arc4j.media.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.media.buffer.BufferBudget;
import org.arc4j.media.buffer.BufferedFrame;
import org.arc4j.media.buffer.PreAlarmBuffer;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.FfmpegPeer;
import org.arc4j.media.video.VideoCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alarm clips from a pre-alarm buffer and the live stream, into files and the store, and what a full disk does. */
class ClipRecorderTest {
    static final Instant T0 = Instant.parse("2026-12-04T10:15:00Z");
    static final String CASE = "C01KJKHZR0GDWFF0PF56ER339ZT";

    @TempDir
    Path dir;
    final ManualScheduler scheduler = new ManualScheduler(T0.plusSeconds(1));
    final InMemoryRecordStore store = new InMemoryRecordStore();
    final SimpleMetrics metrics = new SimpleMetrics();

    @AfterEach
    void close() {
        store.close();
    }

    /** Two seconds of x264 at 25 fps as the frames a camera's depacketiser hands the buffer, 40 ms apart. */
    static List<BufferedFrame> frames() {
        byte[] es = FfmpegPeer.testPattern("libx264", "h264", "-bf", "0", "-pix_fmt", "yuv420p");
        List<BufferedFrame> out = new ArrayList<>();
        int i = 0;
        for (AccessUnit u : Fmp4WriterTest.units(es, 0)) {
            out.add(new BufferedFrame(T0.plusMillis(40L * i++), u.isKey(), u.toAnnexB()));
        }
        return out;
    }

    ClipRecorder.Builder recorder() {
        return ClipRecorder.builder(dir.resolve("clips"), store, scheduler).metrics(metrics).executor(Runnable::run);
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    List<StoredRecord> clips() {
        List<StoredRecord> out = new ArrayList<>();
        store.replay(1, r -> {
            if (r.type() == RecordType.CLIP) {
                out.add(r);
            }
        });
        return out;
    }

    @Test
    void thePreRecordAndTheLiveContinuationBecomeOneClipInTheStore() throws Exception {
        FfmpegPeer.require();
        List<BufferedFrame> frames = frames();
        PreAlarmBuffer buffer = new PreAlarmBuffer("cam-7", Duration.ofSeconds(10), new BufferBudget(1 << 26, metrics));
        frames.subList(0, 30).forEach(buffer::add); // 1.2 s before the alarm
        ClipRecorder recorder = recorder().build();
        // the operator chose 0.5 s before the alarm: the clip starts at the key frame at or before it (frame 0)
        ClipRecording rec = recorder.start(CASE, "cam-7", VideoCodec.H264, buffer, null, null, T0.plusMillis(500));
        rec.video(frames.get(29)); // also in the pre-record: not written twice
        frames.subList(30, 50).forEach(rec::video);
        rec.stop();
        rec.stop();
        ClipResult result = rec.result().toCompletableFuture().join();
        assertThat(result).isInstanceOf(ClipResult.Recorded.class);
        ClipResult.Recorded r = (ClipResult.Recorded) result;
        Path file = r.file();
        assertThat(file).isEqualTo(dir.resolve("clips").resolve(CASE).resolve("cam-7-20261204T101501Z.mp4"));
        ClipRecord clip = r.clip();
        assertThat(clip.sha256()).isEqualTo(sha256(Files.readAllBytes(file)));
        assertThat(clip.bytes()).isEqualTo(Files.size(file));
        assertThat(clip.videoFrames()).isEqualTo(50);
        assertThat(clip.complete()).isTrue();
        assertThat(clip.start()).isEqualTo(T0);
        assertThat(clip.end()).isEqualTo(T0.plusSeconds(2));
        assertThat(clip.video()).isEqualTo("H264");
        assertThat(clip.resolve(recorder.directory())).isEqualTo(file);
        // the store holds it as the case's CLIP record
        assertThat(clips()).singleElement().satisfies(s -> {
            assertThat(s.subject()).isEqualTo(CASE);
            assertThat(s.at()).isEqualTo(T0);
            assertThat(s.position()).isEqualTo(r.position());
            assertThat(ClipRecord.of(s)).contains(clip);
        });
        assertThat(metrics.counter("media.clip.recorded").count()).isEqualTo(1);
        assertThat(metrics.counter("media.clip.bytes").count()).isEqualTo(Files.size(file));

        assertThat(Fmp4WriterTest.ffprobe(file, "-count_frames", "-show_streams"))
                .contains("codec_name=h264", "nb_read_frames=50");
        String format = Fmp4WriterTest.ffprobe(file, "-show_format");
        assertThat(format).contains("TAG:date=2026-12-04T10:15:00.000Z", "TAG:comment=case " + CASE
                + " channel cam-7 from 2026-12-04T10:15:00.000Z to 2026-12-04T10:15:02.000Z");
        double duration = Double.parseDouble(format.replaceAll("(?s).*\nduration=([0-9.]+).*", "$1"));
        assertThat(duration).isBetween(2.0 - 0.04, 2.0 + 0.04);
        List<String> rows = Fmp4WriterTest.ffprobe(file, "-select_streams", "v", "-show_entries",
                "frame=key_frame,pts", "-of", "csv=p=0").lines().filter(l -> !l.isBlank()).toList();
        assertThat(rows).hasSize(50);
        assertThat(rows.get(0)).startsWith("1,0");
        Fmp4WriterTest.assertMonotonic(rows);
    }

    @Test
    void audioFromItsOwnPreAlarmBufferGoesIntoTheClipBesideTheVideo() throws Exception {
        FfmpegPeer.require();
        List<BufferedFrame> frames = frames();
        byte[] pcm = FfmpegPeer.tone("pcm_alaw", "alaw", 8000);
        List<BufferedFrame> audio = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            audio.add(new BufferedFrame(T0.plusMillis(20L * i), true,
                    java.util.Arrays.copyOfRange(pcm, 160 * i, 160 * i + 160)));
        }
        BufferBudget budget = new BufferBudget(1 << 26, metrics);
        PreAlarmBuffer v = new PreAlarmBuffer("cam-7", Duration.ofSeconds(10), budget);
        PreAlarmBuffer a = new PreAlarmBuffer("cam-7/audio", Duration.ofSeconds(10), budget);
        frames.subList(0, 25).forEach(v::add);
        audio.subList(0, 50).forEach(a::add);
        ClipRecording rec = recorder().build().start(CASE, "cam-7", VideoCodec.H264, v, AudioTrack.g711a(), a, T0);
        for (int i = 25; i < 50; i++) { // live: as they arrive, audio and video interleaved
            rec.audio(audio.get(2 * i));
            rec.audio(audio.get(2 * i + 1));
            rec.video(frames.get(i));
        }
        rec.stop();
        ClipResult.Recorded r = (ClipResult.Recorded) rec.result().toCompletableFuture().join();
        assertThat(r.clip().audio()).isEqualTo("G711A");
        assertThat(r.clip().audioFrames()).isEqualTo(100);
        assertThat(r.clip().videoFrames()).isEqualTo(50);
        String streams = Fmp4WriterTest.ffprobe(r.file(), "-count_frames", "-show_streams");
        assertThat(streams).contains("codec_name=h264", "nb_read_frames=50", "codec_name=pcm_alaw",
                "nb_read_frames=100");
    }

    @Test
    void clipMaxEndsTheClipOnTheClockAndOnTheFramesOwnTimes() {
        FfmpegPeer.require();
        List<BufferedFrame> frames = frames();
        ClipRecorder recorder = recorder().clipMax(Duration.ofSeconds(1)).build();
        // the frames' own times: 1 s of live video after the pre-record's last frame (frame 9), then no more
        ClipRecording byFrames = recorder.start("case-1", "cam-7", VideoCodec.H264, null, frames.subList(0, 10),
                List.of());
        frames.subList(10, 50).forEach(byFrames::video);
        assertThat(byFrames.active()).isFalse();
        ClipResult.Recorded r1 = (ClipResult.Recorded) byFrames.result().toCompletableFuture().join();
        assertThat(r1.clip().videoFrames()).isEqualTo(10 + 25);
        // the scheduler's clock: a stream that stops is still closed and stored at clipMax
        ClipRecording byClock = recorder.start("case-2", "cam-7", VideoCodec.H264, null, frames.subList(0, 10),
                List.of());
        assertThat(byClock.result().toCompletableFuture()).isNotDone();
        scheduler.advance(Duration.ofSeconds(1));
        ClipResult.Recorded r2 = (ClipResult.Recorded) byClock.result().toCompletableFuture().join();
        assertThat(r2.clip().videoFrames()).isEqualTo(10);
        assertThat(r2.clip().caseId()).isEqualTo("case-2");
        assertThat(clips()).hasSize(2);
    }

    @Test
    void aFullDiskIsATypedFailureWithThePartialFileReportedAndStored() throws Exception {
        FfmpegPeer.require();
        List<BufferedFrame> frames = frames();
        // the disk fills in the middle of the second fragment: the first (25 frames) is whole on disk; a clip of
        // just those frames tells where it ends
        ClipRecorder whole = recorder().build();
        ClipRecording probe = whole.start(CASE, "cam-7", VideoCodec.H264, null, frames.subList(0, 25), List.of());
        probe.stop();
        long firstFragmentEnd = ((ClipResult.Recorded) probe.result().toCompletableFuture().join()).clip().bytes();
        ClipRecorder recorder = recorder().opener(f -> {
            Files.createDirectories(f.getParent());
            return new FullDiskChannel(FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.READ), firstFragmentEnd + 100);
        }).build();
        ClipRecording rec = recorder.start(CASE, "cam-7", VideoCodec.H264, null, frames.subList(0, 10), List.of());
        frames.subList(10, 50).forEach(rec::video);
        rec.stop();
        ClipResult result = rec.result().toCompletableFuture().join();
        assertThat(result).isInstanceOf(ClipResult.Failed.class);
        ClipResult.Failed f = (ClipResult.Failed) result;
        assertThat(f.reason()).isEqualTo(ClipFailure.WRITE_FAILED);
        assertThat(f.detail()).contains("No space left on device");
        assertThat(f.file()).exists();
        ClipRecord partial = f.partial().orElseThrow();
        assertThat(partial.complete()).isFalse();
        assertThat(partial.error()).startsWith("WRITE_FAILED");
        // the torn second fragment is cut off: the file ends with the last whole fragment
        assertThat(partial.bytes()).isEqualTo(Files.size(f.file())).isEqualTo(firstFragmentEnd);
        assertThat(partial.sha256()).isEqualTo(sha256(Files.readAllBytes(f.file())));
        assertThat(clips()).anySatisfy(s -> assertThat(ClipRecord.of(s)).contains(partial));
        assertThat(metrics.counter("media.clip.failed", "reason", "WRITE_FAILED").count()).isEqualTo(1);
        // what was written before the disk filled plays: the first group of pictures
        assertThat(Fmp4WriterTest.ffprobe(f.file(), "-count_frames", "-show_streams"))
                .contains("codec_name=h264", "nb_read_frames=25");
        rec.video(frames.get(49)); // after the end: ignored, no exception
    }

    @Test
    void theKernelsOwnDiskFullErrorFromDevFull() {
        FfmpegPeer.require();
        assumeTrue(Files.isWritable(Path.of("/dev/full")), "/dev/full (Linux) is needed");
        List<BufferedFrame> frames = frames();
        ClipRecorder recorder = recorder().opener(f -> FileChannel.open(Path.of("/dev/full"),
                StandardOpenOption.WRITE)).build();
        ClipRecording rec = recorder.start(CASE, "cam-7", VideoCodec.H264, null, frames.subList(0, 10), List.of());
        rec.stop();
        ClipResult.Failed f = (ClipResult.Failed) rec.result().toCompletableFuture().join();
        assertThat(f.reason()).isEqualTo(ClipFailure.WRITE_FAILED);
        assertThat(f.detail()).contains("No space left on device");
        assertThat(f.partial()).hasValueSatisfying(p -> assertThat(p.bytes()).isZero());
        assertThat(metrics.counter("media.clip.failed", "reason", "WRITE_FAILED").count()).isEqualTo(1);
    }

    @Test
    void withoutAKeyFrameThereIsNoClipAndTheWriterBehindIsCut() {
        FfmpegPeer.require();
        List<BufferedFrame> frames = frames();
        ClipRecorder recorder = recorder().build();
        ClipRecording rec = recorder.start(CASE, "cam-7", VideoCodec.H264, null, frames.subList(1, 20), List.of());
        rec.stop();
        ClipResult.Failed f = (ClipResult.Failed) rec.result().toCompletableFuture().join();
        assertThat(f.reason()).isEqualTo(ClipFailure.NO_VIDEO);
        assertThat(f.partial()).isEmpty();
        assertThat(f.file()).doesNotExist();
        assertThat(clips()).isEmpty();

        // a disk that does not keep up: frames wait on an executor that never runs, beyond the queue's bound
        List<Runnable> never = new ArrayList<>();
        ClipRecorder slow = recorder().executor(never::add).maxQueuedBytes(5_000).build();
        ClipRecording behind = slow.start(CASE, "cam-7", VideoCodec.H264, null, List.of(), List.of());
        frames.forEach(behind::video);
        assertThat(behind.active()).isFalse();
        never.forEach(Runnable::run);
        ClipResult.Failed b = (ClipResult.Failed) behind.result().toCompletableFuture().join();
        assertThat(b.reason()).isEqualTo(ClipFailure.WRITER_BEHIND);
        assertThat(metrics.counter("media.clip.failed", "reason", "WRITER_BEHIND").count()).isEqualTo(1);
    }
}
