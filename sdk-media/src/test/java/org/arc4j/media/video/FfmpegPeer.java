package org.arc4j.media.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arc4j.media.video.internal.AccessUnitSplitter;

/**
 * ffmpeg and ffprobe (Debian package {@code ffmpeg}) as the real peer of the media tests. With {@code CI=true} a
 * missing ffmpeg fails the test; without it the test is skipped by assumption.
 */
public final class FfmpegPeer {
    private static final Path CACHE;

    static {
        try {
            CACHE = Files.createTempDirectory("arc4j-ffmpeg");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var files = Files.list(CACHE)) {
                files.forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory left behind
            }
            CACHE.toFile().delete();
        }));
    }

    private FfmpegPeer() {
    }

    /** Fails under CI, skips otherwise, when ffmpeg or ffprobe is missing. */
    public static void require() {
        boolean present = onPath("ffmpeg") && onPath("ffprobe");
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("ffmpeg/ffprobe not installed (apt-get install ffmpeg); CI=true requires the real peer");
        }
        assumeTrue(present, "ffmpeg/ffprobe not installed");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Two seconds of the lavfi test pattern at 320x240, 25 fps, a key frame every 25, encoded and muxed; made once
     * per JVM and cached.
     *
     * @param encoder {@code libx264} or {@code libx265}
     * @param format  {@code h264}, {@code hevc}, {@code vob} or {@code mpeg}
     * @param extra   extra output options (e.g. {@code -pix_fmt yuv420p}), may be empty
     * @return the file's bytes
     */
    public static synchronized byte[] testPattern(String encoder, String format, String... extra) {
        require();
        Path out = CACHE.resolve(encoder + "-" + String.join("_", extra).replace(' ', '_') + "." + format);
        if (!Files.exists(out)) {
            List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc=size=320x240:rate=25", "-t", "2", "-c:v", encoder, "-g", "25"));
            if (encoder.equals("libx265")) {
                cmd.addAll(List.of("-x265-params", "log-level=error"));
            }
            cmd.addAll(List.of(extra));
            if (format.equals("h264")) {
                cmd.addAll(List.of("-bsf:v", "h264_mp4toannexb"));
            }
            cmd.addAll(List.of("-f", format, out.toString()));
            run(cmd);
        }
        try {
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Two seconds of a 1 kHz tone, mono, encoded; made once per JVM and cached.
     *
     * @param encoder    e.g. {@code aac}, {@code pcm_alaw}, {@code pcm_mulaw}
     * @param format     e.g. {@code adts}, {@code alaw}, {@code mulaw}
     * @param sampleRate the sample rate
     * @return the file's bytes
     */
    public static synchronized byte[] tone(String encoder, String format, int sampleRate) {
        require();
        Path out = CACHE.resolve(encoder + "-" + sampleRate + "." + format);
        if (!Files.exists(out)) {
            run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "sine=frequency=1000:sample_rate=" + sampleRate, "-t", "2", "-ac", "1", "-c:a", encoder, "-f",
                    format, out.toString()));
        }
        try {
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs ffprobe on a file and returns its {@code -show_streams -count_frames} report.
     *
     * @param file the file
     * @return the key=value lines
     */
    public static String probe(Path file) {
        require();
        return run(List.of("ffprobe", "-v", "error", "-show_streams", "-count_frames", file.toString()));
    }

    /**
     * Splits an elementary stream ffmpeg wrote (Annex B, no B-frames) into access units 40 ms (3600 ticks of 90 kHz)
     * apart in decode order, all intact (nothing was lost between ffmpeg and the test).
     *
     * @param codec    the stream's codec
     * @param annexB   the stream, e.g. from {@link #testPattern}
     * @param firstPts the first unit's time stamp, 90 kHz
     * @return the units in stream order
     */
    public static List<AccessUnit> accessUnits(VideoCodec codec, byte[] annexB, long firstPts) {
        List<List<byte[]>> groups = new ArrayList<>();
        AccessUnitSplitter s = new AccessUnitSplitter(codec, 1 << 24, (g, pos) -> groups.add(g));
        AnnexB.INSTANCE.split(annexB, 0, annexB.length).forEach(n -> s.nal(n, 0));
        s.flush();
        List<AccessUnit> out = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            out.add(new AccessUnit(codec, firstPts + 3600L * i, groups.get(i), true));
        }
        return out;
    }

    static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            assertEquals(true, p.waitFor(60, TimeUnit.SECONDS), "ffmpeg finished");
            String text = new String(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), () -> String.join(" ", cmd) + "\n" + text);
            return text;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
