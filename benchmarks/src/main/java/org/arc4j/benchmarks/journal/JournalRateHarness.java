package org.arc4j.benchmarks.journal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.arc4j.core.store.Durability;
import org.arc4j.core.store.Journal;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordType;

/**
 * Open-loop, constant-rate load on the journal: appends are issued at fixed intended times whatever the journal
 * does, and each completion latency is measured from its intended time (so a stall is charged to every append
 * it delayed: no coordinated omission). Prints acknowledged events/s and the latency percentiles.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.arc4j.benchmarks.journal.JournalRateHarness RATE SECONDS [FORCED|OS_BUFFERED]</pre>
 */
public final class JournalRateHarness {
    private JournalRateHarness() {
    }

    /**
     * @param args events per second, seconds to run (after a 3 s warm-up at the same rate), durability
     */
    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Durability durability = args.length > 2 ? Durability.valueOf(args[2]) : Durability.FORCED;
        Path dir = JournalAppendBenchmark.tempDir("arc4j-journal-rate");
        byte[] payload = JournalAppendBenchmark.eventJson(1);
        try (Journal journal = Journal.builder(dir).durability(durability).open()) {
            run(journal, payload, rate, 3, null);
            Recorder recorder = new Recorder(3);
            long[] result = run(journal, payload, rate, seconds, recorder);
            Histogram h = recorder.getIntervalHistogram();
            System.out.printf("durability %s, target %d events/s for %d s: issued %d, acknowledged %d, refused %d,"
                            + " %.0f acknowledged events/s%n", durability, rate, seconds, result[0], result[1], result[2],
                    result[1] / (result[3] / 1e9));
            System.out.printf("completion latency from intended start: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms,"
                            + " p99.9 %.3f ms, max %.3f ms%n", h.getValueAtPercentile(50) / 1e6,
                    h.getValueAtPercentile(90) / 1e6, h.getValueAtPercentile(99) / 1e6,
                    h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6);
        } finally {
            JournalAppendBenchmark.delete(dir);
        }
    }

    /** @return issued, acknowledged, refused, elapsed nanos (until the last completion) */
    private static long[] run(Journal journal, byte[] payload, int rate, int seconds, Recorder recorder)
            throws InterruptedException {
        long total = (long) rate * seconds;
        long interval = 1_000_000_000L / rate;
        AtomicLong acked = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong outstanding = new AtomicLong(total);
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long intended = start + i * interval;
            long now;
            while ((now = System.nanoTime()) < intended) {
                if (intended - now > 50_000) {
                    LockSupport.parkNanos(intended - now - 50_000);
                }
            }
            journal.append(new NewRecord(RecordType.EVENT, 1, Instant.EPOCH, "1234", payload))
                    .whenComplete((p, err) -> {
                        if (err == null) {
                            acked.incrementAndGet();
                            if (recorder != null) {
                                recorder.recordValue(Math.min(System.nanoTime() - intended,
                                        TimeUnit.SECONDS.toNanos(60)));
                            }
                        } else {
                            refused.incrementAndGet();
                        }
                        if (outstanding.decrementAndGet() == 0) {
                            done.countDown();
                        }
                    });
        }
        done.await(60, TimeUnit.SECONDS);
        return new long[] {total, acked.get(), refused.get(), System.nanoTime() - start};
    }
}
