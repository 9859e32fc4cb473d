package org.arc4j.benchmarks.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.EventIdGenerator;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.event.Transport;
import org.arc4j.core.intake.IdempotencyKey;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.intake.StoreAlarmIntake;
import org.arc4j.core.pipeline.AlarmPipeline;
import org.arc4j.core.pipeline.CaseAuthorizer;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.time.SystemScheduler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * One alarm from the intake to the console queue, without disk: {@code StoreAlarmIntake.accept} over an
 * in-memory record store (EVENT + IDEMPOTENCY_KEY records as JSON), the receipt, the pipeline opening the case
 * (CASE_TRANSITION record, response timer on the system scheduler) and handing it to the operator queue. Each
 * operation is a new alarm (a new zone) so nothing merges, and no case is closed: all that an iteration opens stays
 * on the heap, which is what the collector's figures depend on.
 *
 * <p>Run by hand (never by verify), with the JVM's default collector (G1) or with
 * {@code -jvmArgsAppend "-Xms8g -Xmx8g -XX:+AlwaysPreTouch -XX:+UseZGC"}: see {@code benchmarks/results/pipeline.md}.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
@Threads(1)
public class IntakeToQueueBenchmark {
    private SystemScheduler scheduler;
    private StoreAlarmIntake intake;
    private AlarmPipeline pipeline;
    private long n;

    /** A fresh store, intake and pipeline per iteration, so that memory stays bounded by one iteration. */
    @Setup(Level.Iteration)
    public void setUp() {
        scheduler = new SystemScheduler();
        InMemoryRecordStore store = new InMemoryRecordStore();
        intake = StoreAlarmIntake.open(store, scheduler.clock(), new EventIdGenerator(scheduler.clock()), 10_000,
                Duration.ofHours(1));
        // sized for the cases one iteration opens, as a running centre's indexes are already grown
        pipeline = AlarmPipeline.builder(store, scheduler).authorizer(CaseAuthorizer.ALLOW_ALL)
                .expectedOpenCases(1 << 18).build();
        intake.addListener(pipeline::onAccepted);
    }

    /** Stops the timers of the iteration's cases. */
    @TearDown(Level.Iteration)
    public void tearDown() {
        pipeline.close();
        intake.close();
        scheduler.close();
    }

    /**
     * Accepts one alarm and returns the queue's size once the case is queued.
     *
     * @return the queue size (consumed by JMH)
     * @throws Exception if the receipt does not complete
     */
    @Benchmark
    public int intakeToConsoleQueue() throws Exception {
        long i = n++;
        String account = Long.toString(1000 + (i & 1023));
        AlarmEvent e = AlarmEvent.builder().receiver("R1").line("L1").account(account)
                .protocol(Protocol.DC09_SIA_DCS).transport(Transport.IP).ingress(new Ingress("bench", "local"))
                .code(CodeSystem.SIA, "BA").qualifier(Qualifier.NEW_EVENT).category(Category.INTRUSION)
                .zone(Long.toString(i)).receivedAt(Instant.now()).build();
        CompletableFuture<Receipt> r = intake.accept(List.of(e), IdempotencyKey.of("bench", account,
                Long.toString(i))).toCompletableFuture();
        if (!(r.getNow(null) instanceof Receipt.Accepted)) {
            throw new IllegalStateException("not accepted at once: " + r.getNow(null));
        }
        return pipeline.queue().size();
    }
}
