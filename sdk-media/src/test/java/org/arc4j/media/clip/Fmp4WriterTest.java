package org.arc4j.media.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.FfmpegPeer;
import org.arc4j.media.video.VideoCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clips arc4j writes, opened and checked by ffprobe. */
class Fmp4WriterTest {
    static List<AccessUnit> units(byte[] annexB, long firstPts) {
        return units(VideoCodec.H264, annexB, firstPts);
    }

    /** An elementary stream's access units, 40 ms apart in decode order (streams without B-frames). */
    static List<AccessUnit> units(VideoCodec codec, byte[] annexB, long firstPts) {
        return FfmpegPeer.accessUnits(codec, annexB, firstPts);
    }

    static String ffprobe(Path file, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ffprobe", "-v", "error"));
        cmd.addAll(List.of(args));
        cmd.add(file.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    /** Rows of {@code key_frame,pts}: presentation times strictly increase. */
    static void assertMonotonic(List<String> rows) {
        long last = -1;
        for (String r : rows) {
            long pts = Long.parseLong(r.split(",")[1].trim());
            assertThat(pts).isGreaterThan(last);
            last = pts;
        }
    }

    @Test
    void aClipOfTwoSecondsIsWhatFfprobeReads(@TempDir Path dir) throws Exception {
        FfmpegPeer.require();
        // 2 s at 25 fps, a key frame every 25, no B-frames: what GB/T 28181 cameras send
        byte[] es = FfmpegPeer.testPattern("libx264", "h264", "-bf", "0", "-pix_fmt", "yuv420p");
        List<AccessUnit> units = units(es, 4_000_000_000L); // an RTP clock far from zero, as from a camera
        assertThat(units).hasSize(50);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("comment", "case C01KJKHZR0GDWFF0PF56ER339ZT");
        meta.put("title", "cam-7 alarm clip");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Fmp4Writer w = new Fmp4Writer(out, meta);
        units.forEach(w::add);
        w.finish();
        assertThat(w.samples()).isEqualTo(50);
        Path file = dir.resolve("clip.mp4");
        Files.write(file, out.toByteArray());

        String streams = ffprobe(file, "-count_frames", "-show_streams");
        assertThat(streams).contains("codec_name=h264", "width=320", "height=240", "nb_read_frames=50");
        String format = ffprobe(file, "-show_format");
        assertThat(format).contains("TAG:comment=case C01KJKHZR0GDWFF0PF56ER339ZT", "TAG:title=cam-7 alarm clip");
        double duration = Double.parseDouble(format.replaceAll("(?s).*\nduration=([0-9.]+).*", "$1"));
        assertThat(duration).isBetween(2.0 - 0.04, 2.0 + 0.04); // within one frame
        String frames = ffprobe(file, "-select_streams", "v", "-show_entries", "frame=key_frame,pts",
                "-of", "csv=p=0");
        List<String> rows = frames.lines().filter(l -> !l.isBlank()).toList();
        assertThat(rows).hasSize(50);
        assertThat(rows.get(0)).startsWith("1,0");
        long last = -1;
        for (String r : rows) {
            long pts = Long.parseLong(r.split(",")[1].trim());
            assertThat(pts).isGreaterThan(last);
            last = pts;
        }
        assertThat(rows.stream().filter(r -> r.startsWith("1,")).count()).isEqualTo(2);
    }

    @Test
    void nothingBeforeTheFirstKeyFrameAndOnlyTheWritersCodec() {
        byte[] es = FfmpegPeer.testPattern("libx264", "h264", "-bf", "0", "-pix_fmt", "yuv420p");
        List<AccessUnit> units = units(es, 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Fmp4Writer w = new Fmp4Writer(out, Map.of());
        w.add(units.get(1)); // not a key frame: dropped, nothing written
        assertThat(out.size()).isZero();
        w.add(units.get(0));
        assertThat(out.size()).isPositive(); // the initialisation segment
        assertThat(w.add(new AccessUnit(VideoCodec.H265, 0, List.of(new byte[] {0x40, 1}), true)))
                .isEqualTo(Fmp4Segmenter.Added.WRONG_TRACK);
        assertThatThrownBy(() -> new Fmp4Writer(out, Map.of("artist", "x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void presentationTimesOutOfDecodeOrderBecomeCompositionOffsets(@TempDir Path dir) throws Exception {
        byte[] es = FfmpegPeer.testPattern("libx264", "h264", "-bf", "0", "-pix_fmt", "yuv420p");
        List<AccessUnit> inOrder = units(es, 0);
        // the timestamps of a stream with B-frames: after each key frame, pairs shown in swapped order
        List<AccessUnit> units = new ArrayList<>();
        for (int i = 0; i < inOrder.size(); i++) {
            int shown = i % 25 == 0 ? i : (i % 2 == 1 && i + 1 < inOrder.size() && (i + 1) % 25 != 0) ? i + 1
                    : (i % 2 == 0 && (i - 1) % 25 != 0) ? i - 1 : i;
            List<byte[]> nals = new ArrayList<>();
            for (int n = 0; n < inOrder.get(i).nalUnitCount(); n++) {
                nals.add(inOrder.get(i).nalUnit(n));
            }
            units.add(new AccessUnit(VideoCodec.H264, 3600L * shown, nals, true));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Fmp4Writer w = new Fmp4Writer(out, Map.of());
        units.forEach(w::add);
        w.finish();
        Path file = dir.resolve("reordered.mp4");
        Files.write(file, out.toByteArray());
        assertThat(ffprobe(file, "-count_frames", "-show_streams")).contains("nb_read_frames=50");
        List<Long> pts = ffprobe(file, "-select_streams", "v", "-show_entries", "packet=pts", "-of", "csv=p=0")
                .lines().filter(l -> !l.isBlank()).map(l -> Long.parseLong(l.trim().replace(",", ""))).toList();
        assertThat(pts).hasSize(50).doesNotHaveDuplicates();
        assertThat(pts.stream().sorted().toList()).isNotEqualTo(pts); // packets in decode order, shown reordered
    }
}
