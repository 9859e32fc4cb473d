package org.arc4j.benchmarks.media;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.media.buffer.BufferBudget;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-packet cost of one camera channel's receive path ({@link ChannelPipeline}: RTP decode → H.264
 * depacketise → pre-alarm buffer with a 30 s depth → fMP4 segmenter), on a 2 Mbit/s 25 fps stream of 196 packets a
 * second. One invocation is one second of the stream, 196 operations: the score is the time per packet, copying it
 * off the "socket" (a new datagram array) included. {@code -prof gc} gives the bytes allocated per packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class ChannelPathBenchmark {
    private static final int PACKETS_PER_SECOND = 196;

    private List<List<byte[]>> second;
    private ChannelPipeline pipe;
    private int sequence;
    private long frame;

    /** One second of 2 Mbit/s video and a fresh channel. */
    @Setup
    public void setup() {
        second = ChannelPipeline.oneSecond(2000);
        int packets = second.stream().mapToInt(List::size).sum();
        if (packets != PACKETS_PER_SECOND) {
            throw new IllegalStateException("one second is " + packets + " packets");
        }
        pipe = new ChannelPipeline("cam-1", Duration.ofSeconds(30), new BufferBudget(1L << 30, new SimpleMetrics()),
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** @return access units so far (keeps the work observable) */
    @Benchmark
    @OperationsPerInvocation(PACKETS_PER_SECOND)
    public long packet() {
        for (int f = 0; f < ChannelPipeline.FPS; f++, frame++) {
            List<byte[]> payloads = second.get(f);
            long timestamp = (frame * 3600) & 0xFFFFFFFFL;
            for (int i = 0; i < payloads.size(); i++) {
                pipe.receive(ChannelPipeline.datagram(payloads.get(i), i == payloads.size() - 1,
                        sequence++ & 0xFFFF, timestamp, 0x1234));
            }
        }
        if (pipe.invalidUnits != 0 || pipe.notSegmented != 0) {
            throw new IllegalStateException("the path lost frames: " + pipe.invalidUnits + " invalid, "
                    + pipe.notSegmented + " not segmented");
        }
        return pipe.units;
    }
}
