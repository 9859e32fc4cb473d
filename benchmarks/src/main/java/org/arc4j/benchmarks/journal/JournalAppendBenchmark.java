package org.arc4j.benchmarks.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.EventId;
import org.arc4j.core.event.EventJson;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.event.Transport;
import org.arc4j.core.store.Durability;
import org.arc4j.core.store.Journal;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Durable appends to the journal with group commit, beside the raw {@code force} latency of the same disk.
 *
 * <ul>
 *   <li>{@code burst}: one producer keeps {@value #BURST} appends of a real alarm event (its EventJson, about 400
 *       bytes) in flight and waits for all; ops/s is acknowledged events/s. Every completion latency (submit to
 *       completion) goes into an HdrHistogram printed at the end of each iteration (p50/p99/max).</li>
 *   <li>{@code single}: 16 threads each append one event and wait for it (closed loop); sample time is the
 *       completion latency of one append while 15 others share its force.</li>
 *   <li>{@code rawForce}: write 512 bytes and {@code force(false)} a plain file: the floor under any durable
 *       append on this disk.</li>
 * </ul>
 *
 * Run by hand (never by {@code verify}); see {@code benchmarks/results/journal.md}.
 */
public class JournalAppendBenchmark {
    static final int BURST = 512;

    static byte[] eventJson(long i) {
        AlarmEvent e = AlarmEvent.builder().id(EventId.of(i, i)).account("1234").receiver("1").line("1")
                .protocol(Protocol.DC09_SIA_DCS).transport(Transport.IP).ingress(new Ingress("dc09", "tcp:0.0.0.0:9000"))
                .code(CodeSystem.SIA, "BA").category(Category.INTRUSION).zone("017")
                .receivedAt(Instant.parse("2026-11-24T00:00:00Z")).build();
        return EventJson.toJson(e).getBytes(StandardCharsets.UTF_8);
    }

    static Path tempDir(String prefix) {
        try {
            Path base = Path.of(System.getProperty("arc4j.bench.dir", System.getProperty("java.io.tmpdir")));
            return Files.createTempDirectory(base, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An open journal in a fresh directory. */
    @State(Scope.Benchmark)
    public static class JournalState {
        @Param({"FORCED", "OS_BUFFERED"})
        public Durability durability;

        Path dir;
        Journal journal;
        byte[] payload;
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);

        @Setup(Level.Trial)
        public void open() {
            dir = tempDir("arc4j-journal-bench");
            journal = Journal.builder(dir).durability(durability).open();
            payload = eventJson(1);
        }

        @TearDown(Level.Iteration)
        public void report() {
            if (latency.getTotalCount() > 0) {
                System.out.printf("%n  completion latency (%s, %d appends): p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms,"
                                + " max %.3f ms%n", durability, latency.getTotalCount(),
                        latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6,
                        latency.getValueAtPercentile(99.9) / 1e6, latency.getMaxValue() / 1e6);
                latency.reset();
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            journal.close();
            delete(dir);
        }
    }

    /**
     * Keeps {@value #BURST} appends in flight and waits for them all.
     *
     * @param s the journal
     * @return the last position, so nothing is optimised away
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BURST)
    public long burst(JournalState s) {
        List<CompletableFuture<Long>> fs = new ArrayList<>(BURST);
        long[] started = new long[BURST];
        Histogram h = s.latency;
        for (int i = 0; i < BURST; i++) {
            started[i] = System.nanoTime();
            final int k = i;
            CompletableFuture<Long> f = s.journal.append(new NewRecord(RecordType.EVENT, 1, Instant.EPOCH, "1234",
                    s.payload)).toCompletableFuture();
            fs.add(f);
            f.thenRun(() -> {
                long d = System.nanoTime() - started[k];
                synchronized (h) {
                    h.recordValue(Math.min(d, h.getHighestTrackableValue()));
                }
            });
        }
        long last = 0;
        for (CompletableFuture<Long> f : fs) {
            last = f.join();
        }
        return last;
    }

    /**
     * One append and its completion, on each of 16 threads.
     *
     * @param s the journal
     * @return its position
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(16)
    public long single(JournalState s) {
        return s.journal.append(new NewRecord(RecordType.EVENT, 1, Instant.EPOCH, "1234", s.payload))
                .toCompletableFuture().join();
    }

    /** A plain file on the same file system. */
    @State(Scope.Thread)
    public static class RawFile {
        Path dir;
        FileChannel channel;
        final ByteBuffer block = ByteBuffer.allocateDirect(512);
        long position;

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = tempDir("arc4j-force-bench");
            channel = FileChannel.open(dir.resolve("force.bin"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            channel.close();
            delete(dir);
        }
    }

    /**
     * Appends 512 bytes to a plain file and forces it.
     *
     * @param f the file
     * @return the file position
     * @throws IOException if the disk fails
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long rawForce(RawFile f) throws IOException {
        f.block.clear();
        f.position += f.channel.write(f.block, f.position);
        f.channel.force(false);
        return f.position;
    }
}
