package org.arc4j.benchmarks.media;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.media.buffer.BufferBudget;
import org.arc4j.media.buffer.BufferedFrame;
import org.arc4j.media.buffer.PreAlarmBuffer;
import org.arc4j.media.clip.Fmp4Writer;
import org.arc4j.media.ps.PsDemuxer;
import org.arc4j.media.video.AccessUnit;

/**
 * Sizes of real video for {@code docs/media.md}: reads an MPEG program stream (e.g. ffmpeg's 1080P H.264 at a target
 * bitrate, as a GB/T 28181 device sends it), and reports the bytes of the clip {@link Fmp4Writer} makes of it, and
 * what a 30 s {@link PreAlarmBuffer} holds of it: the frames' bytes, and the heap that N copies of the buffer take
 * after a full GC (N channels of the same stream, so the per-channel figure includes every object's overhead).
 *
 * <pre>ffmpeg -f lavfi -i testsrc2=size=1920x1080:rate=25 -vf noise=alls=12:allf=t -t 32 -c:v libx264 -b:v 4M \
 *     -maxrate 4M -bufsize 4M -g 50 -bf 0 -f vob in.mpg
 * java -Xmx4g -cp benchmarks/target/benchmarks.jar org.arc4j.benchmarks.media.ClipSizing in.mpg 30 20</pre>
 */
public final class ClipSizing {
    private ClipSizing() {
    }

    /** @param args the program stream, the clip's seconds, how many channels of it to buffer for the heap figure */
    public static void main(String[] args) throws Exception {
        byte[] ps = Files.readAllBytes(Path.of(args[0]));
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int channels = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        List<AccessUnit> units = new ArrayList<>();
        PsDemuxer demuxer = new PsDemuxer(PsDemuxer.DEFAULT_MAX_ACCESS_UNIT, (type, unit) -> units.add(unit));
        demuxer.feed(ps, 0, ps.length);
        demuxer.flush();
        long first = units.get(0).timestamp();
        long end = first + seconds * 90_000L;
        List<AccessUnit> clip = units.stream().filter(u -> u.timestamp() < end).toList();
        long videoBytes = clip.stream().mapToLong(AccessUnit::size).sum();
        long[] written = new long[1];
        Fmp4Writer w = new Fmp4Writer(new OutputStream() {
            @Override
            public void write(int b) {
                written[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                written[0] += len;
            }
        }, Map.of("comment", "case 0000000000000000000000000000"));
        clip.forEach(w::add);
        w.finish();
        double span = (clip.get(clip.size() - 1).timestamp() - first + 3600) / 90_000.0;
        System.out.printf("%d access units, %.2f s, %d bytes of NAL units (%.0f kbit/s); fMP4 clip %d bytes"
                        + " (%.2f MB, container +%.2f %%)%n", clip.size(), span, videoBytes, videoBytes * 8 / span / 1000,
                written[0], written[0] / 1e6, (written[0] - videoBytes) * 100.0 / videoBytes);

        System.gc();
        long before = usedHeap();
        BufferBudget budget = new BufferBudget(Runtime.getRuntime().maxMemory(), new SimpleMetrics());
        List<PreAlarmBuffer> buffers = new ArrayList<>();
        Instant epoch = Instant.parse("2026-01-01T00:00:00Z");
        for (int c = 0; c < channels; c++) {
            PreAlarmBuffer b = new PreAlarmBuffer("cam-" + c, Duration.ofSeconds(30), budget);
            for (AccessUnit u : units) {
                b.add(new BufferedFrame(epoch.plusNanos((u.timestamp() - first) * 100_000 / 9), u.isKey(),
                        u.toAnnexB()));
            }
            buffers.add(b);
        }
        System.gc();
        long after = usedHeap();
        PreAlarmBuffer one = buffers.get(0);
        System.out.printf("30 s pre-alarm buffer: %d frames, %d bytes held (%.2f MB) from %s to %s;"
                        + " heap %.2f MB per channel over %d channels%n", one.frames(), one.bytes(),
                one.bytes() / 1e6, one.oldest(), one.newest(), (after - before) / 1e6 / channels, channels);
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
