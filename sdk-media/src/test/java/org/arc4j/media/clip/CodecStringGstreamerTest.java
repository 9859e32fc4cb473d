package org.arc4j.media.clip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.testsupport.RealPeers;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.FfmpegPeer;
import org.arc4j.media.video.VideoCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RFC 6381 codecs parameter that {@link MseLiveStream} hands to a page, against an independent oracle:
 * GStreamer's {@code gst_codec_utils_caps_get_mime_codec} (pbutils, through Debian's {@code /usr/bin/python3} with
 * {@code python3-gi} and {@code python3-gst-1.0}) on the caps its {@code h264parse}/{@code h265parse} make of the same
 * ffmpeg streams: H.264 High, H.265 Main, Main 10 and format range extensions (4:4:4).
 */
class CodecStringGstreamerTest {
    private static final String PROBE = """
            import sys, gi
            gi.require_version('Gst', '1.0'); gi.require_version('GstPbutils', '1.0')
            from gi.repository import Gst, GstPbutils
            Gst.init(None)
            for path, parser, fmt in zip(sys.argv[1::3], sys.argv[2::3], sys.argv[3::3]):
                p = Gst.parse_launch('filesrc location=%s ! %s ! %s,stream-format=%s,alignment=au ! fakesink name=s'
                                     % (path, parser, 'video/x-h264' if parser == 'h264parse' else 'video/x-h265', fmt))
                p.set_state(Gst.State.PAUSED)
                p.get_state(10 * Gst.SECOND)
                print(GstPbutils.codec_utils_caps_get_mime_codec(p.get_by_name('s').get_static_pad('sink').get_current_caps()))
                p.set_state(Gst.State.NULL)
            """;

    @TempDir
    Path dir;

    /** The codecs parameter of a stream's MIME type, from the segmenter that MSE live view uses. */
    static String ours(VideoCodec codec, byte[] annexB) {
        List<AccessUnit> units = Fmp4WriterTest.units(codec, annexB, 90_000);
        Fmp4Segmenter s = Fmp4Segmenter.builder().video(codec).build(seg -> { });
        units.forEach(s::video);
        return s.mimeType().replaceAll(".*codecs=\"([^\"]+)\".*", "$1");
    }

    @Test
    void theCodecsParameterIsWhatGstreamerSaysForTheSameStreams() throws Exception {
        FfmpegPeer.require();
        RealPeers.require(Files.isExecutable(Path.of("/usr/bin/python3")), "/usr/bin/python3 (Debian python3)");
        String[][] streams = {
            {"libx264", "h264", "h264parse", "avc", "-pix_fmt", "yuv420p", "-bf", "0"},
            {"libx265", "hevc", "h265parse", "hvc1", "-pix_fmt", "yuv420p", "-bf", "0"},
            {"libx265", "hevc", "h265parse", "hvc1", "-pix_fmt", "yuv420p10le", "-bf", "0"},
            {"libx265", "hevc", "h265parse", "hvc1", "-bf", "0"}, // testsrc is RGB: 4:4:4, format range extensions
        };
        List<String> expected = new ArrayList<>();
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-c", PROBE));
        for (int i = 0; i < streams.length; i++) {
            String[] s = streams[i];
            String[] extra = java.util.Arrays.copyOfRange(s, 4, s.length);
            byte[] es = FfmpegPeer.testPattern(s[0], s[1], extra);
            Path file = dir.resolve(i + "." + s[1]);
            Files.write(file, es);
            expected.add(ours(s[0].equals("libx264") ? VideoCodec.H264 : VideoCodec.H265, es));
            cmd.addAll(List.of(file.toString(), s[2], s[3]));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        if (p.exitValue() != 0 && out.contains("ValueError: Namespace")) {
            RealPeers.require(false, "GStreamer pbutils for Python (Debian python3-gi python3-gst-1.0 "
                    + "gstreamer1.0-plugins-bad)");
        }
        assertThat(p.exitValue()).as(out).isZero();
        List<String> theirs = out.lines().filter(l -> !l.isBlank()).toList();
        // hex digits in either case are the same codec (RFC 6381 §3.3 leaves avc1's case open; GStreamer writes upper)
        assertThat(expected).map(String::toUpperCase).containsExactlyElementsOf(
                theirs.stream().map(String::toUpperCase).toList());
        assertThat(expected.get(1)).startsWith("hvc1.1.6.L");
        assertThat(expected.get(2)).startsWith("hvc1.2.4.L");
        assertThat(expected.get(3)).startsWith("hvc1.4.10.L");
    }
}
