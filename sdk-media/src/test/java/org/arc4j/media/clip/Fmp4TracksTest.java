package org.arc4j.media.clip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.FfmpegPeer;
import org.arc4j.media.video.VideoCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** H.265, AAC and G.711 tracks in fragmented MP4, made from ffmpeg's streams and checked by ffprobe. */
class Fmp4TracksTest {
    static final Map<String, String> META = Map.of("comment", "case C-265");

    @TempDir
    Path dir;

    static List<AccessUnit> hevc() {
        return Fmp4WriterTest.units(VideoCodec.H265, FfmpegPeer.testPattern("libx265", "hevc", "-bf", "0"), 1_000_000);
    }

    static List<AccessUnit> avc() {
        return Fmp4WriterTest.units(FfmpegPeer.testPattern("libx264", "h264", "-bf", "0", "-pix_fmt", "yuv420p"),
                1_000_000);
    }

    /** ADTS frames (ISO/IEC 14496-3 §1.A.2.2: a 13-bit frame length in bytes 3 to 5). */
    static List<byte[]> adts(byte[] stream) {
        List<byte[]> out = new ArrayList<>();
        for (int at = 0; at + 7 <= stream.length; ) {
            int len = ((stream[at + 3] & 3) << 11) | ((stream[at + 4] & 0xFF) << 3) | ((stream[at + 5] & 0xE0) >>> 5);
            out.add(Arrays.copyOfRange(stream, at, at + len));
            at += len;
        }
        return out;
    }

    static double field(String report, String name, int stream) {
        String block = report.split("\\[STREAM]")[stream + 1];
        return Double.parseDouble(block.replaceAll("(?s).*\n" + name + "=([0-9.]+).*", "$1"));
    }

    Path write(String name, byte[] bytes) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    /** The ffprobe checks every clip gets: frames, first key, increasing times, the case in the metadata. */
    static void checkVideo(Path file, String codec, int frames) throws Exception {
        String streams = Fmp4WriterTest.ffprobe(file, "-count_frames", "-show_streams", "-select_streams", "v");
        assertThat(streams).contains("codec_name=" + codec, "width=320", "height=240", "nb_read_frames=" + frames);
        assertThat(field(streams, "duration", 0)).isBetween(2.0 - 0.04, 2.0 + 0.04);
        List<String> rows = Fmp4WriterTest.ffprobe(file, "-select_streams", "v", "-show_entries",
                "frame=key_frame,pts", "-of", "csv=p=0").lines().filter(l -> !l.isBlank()).toList();
        assertThat(rows).hasSize(frames);
        assertThat(rows.get(0)).startsWith("1,0");
        Fmp4WriterTest.assertMonotonic(rows);
        assertThat(Fmp4WriterTest.ffprobe(file, "-show_format")).contains("TAG:comment=case C-265");
    }

    @Test
    void h265IsWrittenAsHvc1AndDecodesFromTheHvcCAlone() throws Exception {
        FfmpegPeer.require();
        List<AccessUnit> units = hevc();
        assertThat(units).hasSize(50);
        // the parameter sets only in the hvcC: taken out of every access unit, given to the segmenter
        List<byte[]> sets = new ArrayList<>();
        List<AccessUnit> bare = new ArrayList<>();
        for (AccessUnit u : units) {
            List<byte[]> nals = new ArrayList<>();
            for (int i = 0; i < u.nalUnitCount(); i++) {
                byte[] n = u.nalUnit(i);
                if (VideoCodec.H265.isParameterSet(VideoCodec.H265.nalType(n))) {
                    sets.add(n);
                } else {
                    nals.add(n);
                }
            }
            bare.add(new AccessUnit(VideoCodec.H265, u.timestamp(), nals, true));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Fmp4Segmenter s = Fmp4Segmenter.builder().video(VideoCodec.H265).metadata(META).parameterSets(sets)
                .build(seg -> out.writeBytes(seg.bytes()));
        for (AccessUnit u : bare) {
            assertThat(s.video(u)).isEqualTo(Fmp4Segmenter.Added.QUEUED);
        }
        s.flush();
        assertThat(s.mimeType()).startsWith("video/mp4; codecs=\"hvc1.4.10.L"); // 4:4:4 from testsrc: Rext (4), flag 4
        Path file = write("h265.mp4", out.toByteArray());
        checkVideo(file, "hevc", 50);
        String ours = Fmp4WriterTest.ffprobe(file, "-show_streams");
        assertThat(ours).contains("codec_tag_string=hvc1");
        // profile, tier, level and constraint flags as ffmpeg's own MP4 muxer writes them
        Path es = write("t.hevc", FfmpegPeer.testPattern("libx265", "hevc", "-bf", "0"));
        Path theirs = dir.resolve("ffmpeg.mp4");
        new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", es.toString(), "-c", "copy", "-tag:v",
                "hvc1", theirs.toString()).start().waitFor();
        assertThat(hvcC(out.toByteArray(), 13)).isEqualTo(hvcC(Files.readAllBytes(theirs), 13));
        String theirStreams = Fmp4WriterTest.ffprobe(theirs, "-show_streams");
        for (String key : List.of("profile", "level", "pix_fmt")) {
            assertThat(line(ours, key)).isEqualTo(line(theirStreams, key));
        }
        // and with the parameter sets in band as well, as cameras send them
        ByteArrayOutputStream inBand = new ByteArrayOutputStream();
        Fmp4Writer w = new Fmp4Writer(inBand, VideoCodec.H265, null, META);
        units.forEach(w::add);
        w.finish();
        checkVideo(write("h265-inband.mp4", inBand.toByteArray()), "hevc", 50);
    }

    static String line(String report, String key) {
        return report.lines().filter(l -> l.startsWith(key + "=")).findFirst().orElseThrow();
    }

    static String hvcC(byte[] mp4, int length) {
        int at = indexOf(mp4, "hvcC".getBytes(java.nio.charset.StandardCharsets.US_ASCII)) + 4;
        return HexFormat.of().formatHex(mp4, at, at + length);
    }

    static int indexOf(byte[] b, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= b.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void aacFromAdtsBesideH264() throws Exception {
        FfmpegPeer.require();
        List<byte[]> frames = adts(FfmpegPeer.tone("aac", "adts", 16000));
        AudioTrack track = AudioTrack.aacFromAdts(frames.get(0));
        assertThat(track.sampleRate()).isEqualTo(16000);
        assertThat(track.channels()).isEqualTo(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Fmp4Segmenter s = Fmp4Segmenter.builder().video(VideoCodec.H264).audio(track).metadata(META)
                .build(seg -> out.writeBytes(seg.bytes()));
        interleave(s, avc(), frames, 1024L * 90_000 / 16000);
        s.flush();
        assertThat(s.mimeType()).matches("video/mp4; codecs=\"avc1\\.[0-9a-f]{6},mp4a\\.40\\.2\"");
        Path file = write("aac.mp4", out.toByteArray());
        checkVideo(file, "h264", 50);
        String audio = Fmp4WriterTest.ffprobe(file, "-count_frames", "-show_streams", "-select_streams", "a");
        assertThat(audio).contains("codec_name=aac", "sample_rate=16000", "channels=1",
                "nb_read_frames=" + frames.size());
        assertThat(field(audio, "duration", 0)).isCloseTo(frames.size() * 1024 / 16000.0,
                org.assertj.core.data.Offset.offset(0.064));
        assertAudioMonotonic(file);
    }

    @Test
    void g711BesideH264AsQuickTimeAlawAndUlaw() throws Exception {
        FfmpegPeer.require();
        for (String[] c : new String[][] {{"pcm_alaw", "alaw"}, {"pcm_mulaw", "mulaw"}}) {
            byte[] pcm = FfmpegPeer.tone(c[0], c[1], 8000);
            assertThat(pcm).hasSize(16000);
            List<byte[]> frames = new ArrayList<>(); // 20 ms, as RTP and GB/T 28181 devices send them
            for (int at = 0; at < pcm.length; at += 160) {
                frames.add(Arrays.copyOfRange(pcm, at, at + 160));
            }
            AudioTrack track = c[1].equals("alaw") ? AudioTrack.g711a() : AudioTrack.g711u();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Fmp4Writer w = new Fmp4Writer(out, VideoCodec.H264, track, META);
            List<AccessUnit> video = avc();
            int v = 0;
            for (int a = 0; a < frames.size(); a++) {
                while (v < video.size() && video.get(v).timestamp() <= 1_000_000 + 1800L * a) {
                    w.add(video.get(v++));
                }
                w.audio(1_000_000 + 1800L * a, frames.get(a));
            }
            w.finish();
            assertThat(w.audioSamples()).isEqualTo(100);
            Path file = write(c[1] + ".mp4", out.toByteArray());
            checkVideo(file, "h264", 50);
            String audio = Fmp4WriterTest.ffprobe(file, "-count_frames", "-show_streams", "-select_streams", "a");
            assertThat(audio).contains("codec_name=" + c[0], "sample_rate=8000", "channels=1", "nb_read_frames=100");
            assertThat(field(audio, "duration", 0)).isBetween(2.0 - 0.02, 2.0 + 0.02);
            assertAudioMonotonic(file);
            // the samples are the tone's own bytes, in order
            Path raw = dir.resolve(c[1] + ".raw");
            new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", file.toString(), "-map", "0:a",
                    "-c", "copy", "-f", c[1], raw.toString()).start().waitFor();
            assertThat(Files.readAllBytes(raw)).isEqualTo(pcm);
        }
    }

    @Test
    void audioWithoutVideoIsCutIntoOneSecondSegments() throws Exception {
        FfmpegPeer.require();
        byte[] pcm = FfmpegPeer.tone("pcm_alaw", "alaw", 8000);
        List<Fmp4Segmenter.Segment> segments = new ArrayList<>();
        Fmp4Segmenter s = Fmp4Segmenter.builder().audio(AudioTrack.g711a()).metadata(META).build(segments::add);
        for (int at = 0, i = 0; at < pcm.length; at += 160, i++) {
            s.audio(4_294_960_000L + 1800L * i, Arrays.copyOfRange(pcm, at, at + 160)); // across the 32-bit wrap
        }
        s.flush();
        assertThat(segments).hasSize(3); // init, then two seconds
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        segments.forEach(g -> out.writeBytes(g.bytes()));
        Path file = write("alaw-only.mp4", out.toByteArray());
        String audio = Fmp4WriterTest.ffprobe(file, "-count_frames", "-show_streams");
        assertThat(audio).contains("codec_name=pcm_alaw", "nb_read_frames=100");
        assertThat(field(audio, "duration", 0)).isBetween(2.0 - 0.02, 2.0 + 0.02);
    }

    static void interleave(Fmp4Segmenter s, List<AccessUnit> video, List<byte[]> audio, long audioStep) {
        int v = 0;
        for (int a = 0; a < audio.size(); a++) {
            long t = 1_000_000 + audioStep * a;
            while (v < video.size() && video.get(v).timestamp() <= t) {
                s.video(video.get(v++));
            }
            s.audio(t, audio.get(a));
        }
        while (v < video.size()) {
            s.video(video.get(v++));
        }
    }

    static void assertAudioMonotonic(Path file) throws Exception {
        List<Long> pts = Fmp4WriterTest.ffprobe(file, "-select_streams", "a", "-show_entries", "packet=pts", "-of",
                "csv=p=0").lines().filter(l -> !l.isBlank()).map(l -> Long.parseLong(l.trim().replace(",", "")))
                .toList();
        assertThat(pts).isNotEmpty().isSorted().doesNotHaveDuplicates();
        assertThat(pts.get(0)).isZero();
    }
}
