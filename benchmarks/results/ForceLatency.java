import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The disk's raw force latency, as the journal pays it: append 64 bytes, then FileChannel.force(false)
 * (fdatasync), N times, in the directory given. Run: java benchmarks/results/ForceLatency.java DIR [N].
 */
public class ForceLatency {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        Path f = Files.createTempFile(dir, "force", ".bin");
        long[] t = new long[n];
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.allocateDirect(64);
            for (int i = 0; i < n; i++) {
                b.clear();
                long s = System.nanoTime();
                ch.write(b);
                ch.force(false);
                t[i] = System.nanoTime() - s;
            }
        } finally {
            Files.deleteIfExists(f);
        }
        Arrays.sort(t);
        System.out.printf("write(64 B)+force(false) x %d: p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms%n",
                n, t[n / 2] / 1e6, t[(int) (n * 0.9)] / 1e6, t[(int) (n * 0.99)] / 1e6, t[(int) (n * 0.999)] / 1e6,
                t[n - 1] / 1e6);
    }
}
