package org.arc4j.benchmarks.contactid;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.arc4j.protocols.audio.DtmfDetector;
import org.arc4j.protocols.audio.ToneWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of arc4j's ITU-T Q.24 DTMF detector on one telephone line: each invocation processes one second of
 * 8 kHz audio in 20 ms blocks, as a line card or an RTP stream delivers it, so "simultaneous real-time lines per
 * core" is one second divided by the average time. Signals: a Contact ID call's DTMF at ten digits a second with
 * 20 dB SNR noise, white noise alone, and digital silence.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class DtmfDetectorBenchmark {
    private static final int RATE = 8000;
    private static final int BLOCK = 160;

    /** What the line carries. */
    @Param({"dtmf", "noise", "silence"})
    public String signal;

    private short[] second;
    private DtmfDetector detector;
    private Blackhole sink;

    /**
     * Builds one second of signal and the detector.
     *
     * @param bh the blackhole that receives detected keys
     */
    @Setup(Level.Trial)
    public void setUp(Blackhole bh) {
        sink = bh;
        second = new short[RATE];
        ToneWriter w = new ToneWriter(RATE);
        Random rnd = new Random(24);
        if (signal.equals("dtmf")) {
            String keys = "1234181121";
            for (int i = 0; i < keys.length(); i++) {
                w.dtmf(second, i * 800, 400, keys.charAt(i), -7, -5, 1.0);
            }
            addNoise(rnd, ToneWriter.amplitude(-26) / Math.sqrt(2));
        } else if (signal.equals("noise")) {
            addNoise(rnd, ToneWriter.amplitude(-10) / Math.sqrt(2));
        }
        detector = new DtmfDetector(d -> sink.consume(d));
    }

    private void addNoise(Random rnd, double sigma) {
        for (int i = 0; i < second.length; i++) {
            second[i] = (short) Math.max(-32768, Math.min(32767, Math.round(second[i] + sigma * rnd.nextGaussian())));
        }
    }

    /**
     * One second of one line.
     *
     * @return the detector's position, so that the work is not eliminated
     */
    @Benchmark
    public long oneSecondOfOneLine() {
        for (int off = 0; off < RATE; off += BLOCK) {
            detector.process(second, off, BLOCK);
        }
        return detector.position();
    }
}
