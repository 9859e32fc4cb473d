package org.arc4j.core.store.internal;

import static org.arc4j.core.store.internal.LogFixture.rec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.store.Durability;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.arc4j.core.testkit.Await;

/** Group commit alone, over a real segment log: positions, visibility, rotation, refusal, failure, completions. */
class GroupCommitTest {
    @TempDir
    Path dir;
    private SegmentLog log;
    private GroupCommit commit;
    private final AtomicInteger published = new AtomicInteger();

    private GroupCommit start(Durability d, long segmentBytes, int capacity, Executor completions) {
        log = LogFixture.open(dir);
        commit = new GroupCommit(log, d, segmentBytes, capacity, new SimpleMetrics(), completions,
                published::incrementAndGet);
        return commit;
    }

    @AfterEach
    void close() {
        if (commit != null) {
            commit.stopAccepting();
            commit.close();
        }
        if (log != null) {
            log.release();
        }
    }

    private static List<Long> join(java.util.concurrent.CompletionStage<List<Long>> s) {
        return s.toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void appendsGetConsecutivePositionsAndAreReadableOnceComplete(Durability d) {
        start(d, 1 << 20, 16, Runnable::run);
        assertThat(join(commit.appendAll(List.of(rec("a"), rec("b"))))).containsExactly(1L, 2L);
        assertThat(log.read(2)).map(LogFixture::text).contains("b");
        assertThat(join(commit.appendAll(List.of(rec("c"))))).containsExactly(3L);
        assertThat(log.durableNext()).isEqualTo(4);
        assertThat(log.read(3)).map(LogFixture::text).contains("c");
        // the stages complete just before the publication runs on the same thread: wait for it (bounded)
        Await.until(Duration.ofSeconds(10), () -> published.get() >= 2, () -> "two publications, got " + published);
        assertThat(published.get()).as("one publication a group").isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void stagesCompleteThroughTheGivenExecutorOnThePublishingThread(Durability d) {
        List<String> threads = new CopyOnWriteArrayList<>();
        start(d, 1 << 20, 16, r -> {
            threads.add(Thread.currentThread().getName());
            r.run();
        });
        join(commit.appendAll(List.of(rec("a"))));
        // today's behaviour, which the journal documents: the forcer (or, unforced, the writer) completes them
        assertThat(threads).containsExactly(d == Durability.FORCED ? "arc4j-journal-forcer"
                : "arc4j-journal-writer");
    }

    @Test
    void anotherExecutorTakesTheCompletionsAndTheirDependentsOffTheForcer() throws Exception {
        java.util.concurrent.ExecutorService own = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> new Thread(r, "completions"));
        try {
            start(Durability.FORCED, 1 << 20, 16, own);
            // the completion queues behind the gate, so the dependent is registered before the stage completes
            CountDownLatch gate = new CountDownLatch(1);
            own.execute(() -> await(gate));
            CompletableFuture<String> where = commit.appendAll(List.of(rec("a"))).toCompletableFuture()
                    .thenApply(p -> Thread.currentThread().getName());
            gate.countDown();
            assertThat(where.get(10, TimeUnit.SECONDS)).isEqualTo("completions");
        } finally {
            own.shutdown();
        }
    }

    @Test
    void aBatchLargerThanASegmentAndAnEmptyOneAreRefusedAtOnce() {
        start(Durability.FORCED, 4096, 16, Runnable::run);
        NewRecord big = rec("x".repeat(4096));
        assertThatThrownBy(() -> join(commit.appendAll(List.of(big))))
                .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> join(commit.appendAll(List.of())))
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fullSegmentsAreSealedAndTheWriterMovesOnWithoutSplittingABatch() {
        start(Durability.FORCED, 4096, 64, Runnable::run);
        List<CompletableFuture<List<Long>>> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(commit.appendAll(List.of(rec("r" + i + "-" + noise(i)), rec("s" + i)))
                    .toCompletableFuture());
        }
        for (CompletableFuture<List<Long>> f : all) {
            join(f);
        }
        List<Segment> segments = log.segments();
        assertThat(segments.size()).isGreaterThan(1);
        for (int i = 0; i < segments.size() - 1; i++) {
            Segment s = segments.get(i);
            assertThat(s.size()).isLessThanOrEqualTo(4096);
            assertThat(s.sealedBefore()).isEqualTo(segments.get(i + 1).base());
            // a batch is two records, so every segment starts on an odd position
            assertThat(segments.get(i + 1).base() % 2).isEqualTo(1);
        }
        List<String> seen = new ArrayList<>();
        log.replay(1, r -> seen.add(LogFixture.text(r)));
        assertThat(seen).hasSize(80).startsWith("r0-" + noise(0), "s0").endsWith("s39");
    }

    /** 150 characters that do not pack (records pack, and these must fill segments). */
    private static String noise(int seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        StringBuilder b = new StringBuilder();
        while (b.length() < 150) {
            b.append((char) ('!' + r.nextInt(90)));
        }
        return b.toString();
    }

    @Test
    void aFullQueueRefusesAtOnceWhileTheWriterIsBusy() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<List<Long>> first = firstAppendHeld(1, release);
        // the writer is held in the first completion: one append fits in the queue, the next is refused
        CompletableFuture<List<Long>> second = commit.appendAll(List.of(rec("2"))).toCompletableFuture();
        CompletableFuture<List<Long>> third = commit.appendAll(List.of(rec("3"))).toCompletableFuture();
        assertThatThrownBy(third::join).hasCauseInstanceOf(StoreException.Full.class);
        release.countDown();
        assertThat(join(first)).containsExactly(1L);
        assertThat(join(second)).containsExactly(2L);
    }

    @Test
    void closeWritesWhatWasQueuedAndLaterAppendsAreRefused() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<List<Long>> first = firstAppendHeld(4, release);
        CompletableFuture<List<Long>> queued = commit.appendAll(List.of(rec("2"))).toCompletableFuture();
        commit.stopAccepting();
        assertThatThrownBy(() -> join(commit.appendAll(List.of(rec("3")))))
                .hasCauseInstanceOf(StoreException.Closed.class);
        Thread closer = new Thread(commit::close);
        closer.start();
        release.countDown();
        closer.join(10_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(join(first)).containsExactly(1L);
        assertThat(join(queued)).containsExactly(2L);
        commit = null;
    }

    @Test
    void aWriteFailureFailsTheBatchAndEveryLaterAppend() throws IOException {
        start(Durability.FORCED, 1 << 20, 16, Runnable::run);
        log.active().channel().close();
        assertThatThrownBy(() -> join(commit.appendAll(List.of(rec("a")))))
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(StoreException.Failed.class);
        assertThat(commit.failure()).isInstanceOf(StoreException.Failed.class);
        assertThatThrownBy(() -> join(commit.appendAll(List.of(rec("b")))))
                .hasCauseInstanceOf(StoreException.Failed.class).hasMessageContaining("reopen");
        assertThat(log.durableNext()).isEqualTo(1);
    }

    /**
     * Starts a group commit with a queue of {@code capacity} and appends record 1, whose completion holds the writer
     * until {@code release} counts down; returns once the writer is held there.
     */
    private CompletableFuture<List<Long>> firstAppendHeld(int capacity, CountDownLatch release) throws Exception {
        CountDownLatch inCompletion = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        start(Durability.OS_BUFFERED, 1 << 20, capacity, r -> {
            if (calls.incrementAndGet() == 1) {
                inCompletion.countDown();
                await(release);
            }
            r.run();
        });
        CompletableFuture<List<Long>> first = commit.appendAll(List.of(rec("1"))).toCompletableFuture();
        assertThat(inCompletion.await(10, TimeUnit.SECONDS)).isTrue();
        return first;
    }

    private static void await(CountDownLatch l) {
        try {
            if (!l.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("not released in 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Forces per alarm: each alarm's batch is followed up, from another thread (as the pipeline's queue does), by
     * its case's opening and a transition; the forcer holds its force for them, so each alarm costs one force and
     * its stage completes only once the follow-ups are durable too. The wait is long here so that the count does
     * not depend on how quickly this machine schedules the follow-up thread.
     */
    @Test
    void followUpsShareTheForceOfTheBatchTheyFollow() throws Exception {
        SimpleMetrics metrics = new SimpleMetrics();
        log = LogFixture.open(dir);
        commit = new GroupCommit(log, Durability.FORCED, 1 << 20, 64, metrics, new Completions(),
                published::incrementAndGet, TimeUnit.SECONDS.toNanos(30),
                GroupCommit.UNHURRIED_WAIT_NANOS);
        java.util.concurrent.ExecutorService pipeline = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            int alarms = 20;
            for (int i = 0; i < alarms; i++) {
                String n = "alarm" + i;
                List<CompletableFuture<List<Long>>> followUps = new CopyOnWriteArrayList<>();
                CompletableFuture<List<Long>> alarm = commit.appendAll(List.of(rec(n), rec(n + "-key")),
                        (positions, release) -> pipeline.execute(() -> {
                            followUps.add(commit.appendAll(List.of(rec(n + "-opened"))).toCompletableFuture());
                            followUps.add(commit.appendAll(List.of(rec(n + "-forwarded"))).toCompletableFuture());
                            release.run();
                        })).toCompletableFuture();
                join(alarm);
                assertThat(followUps).hasSize(2);
                // durable in the same force: complete (or completing) the moment the alarm's stage is
                for (CompletableFuture<List<Long>> f : followUps) {
                    join(f);
                }
            }
            assertThat(metrics.timers().values().iterator().next().count())
                    .as("journal forces for %d alarms, each with two follow-ups", alarms).isEqualTo(alarms);
            assertThat(log.durableNext()).isEqualTo(1 + 4L * alarms);
        } finally {
            pipeline.shutdownNow();
        }
    }

    /** Without a release the force still comes, after the wait, and the late follow-up is counted. */
    @Test
    void aFollowUpNeverReleasedDelaysTheForceOnlyByTheWait() {
        SimpleMetrics metrics = new SimpleMetrics();
        log = LogFixture.open(dir);
        commit = new GroupCommit(log, Durability.FORCED, 1 << 20, 64, metrics, Runnable::run,
                published::incrementAndGet, TimeUnit.MILLISECONDS.toNanos(1),
                GroupCommit.UNHURRIED_WAIT_NANOS);
        assertThat(join(commit.appendAll(List.of(rec("a")), (positions, release) -> { }))).containsExactly(1L);
        assertThat(metrics.counts().entrySet()).anySatisfy(e -> {
            assertThat(e.getKey().name()).isEqualTo("journal.followups.late");
            assertThat(e.getValue()).isEqualTo(1L);
        });
    }

    /**
     * Unhurried appends (a timer's records) ride on the next append's force: a breach record, then an alarm, cost one
     * force. The wait is long here so that the count does not depend on this machine's scheduling.
     */
    @Test
    void unhurriedAppendsShareTheNextForce() {
        SimpleMetrics metrics = new SimpleMetrics();
        log = LogFixture.open(dir);
        commit = new GroupCommit(log, Durability.FORCED, 1 << 20, 64, metrics, Runnable::run,
                published::incrementAndGet, GroupCommit.FOLLOW_UP_WAIT_NANOS, TimeUnit.SECONDS.toNanos(30));
        int rounds = 10;
        for (int i = 0; i < rounds; i++) {
            CompletableFuture<List<Long>> breach = commit.appendUnhurried(List.of(rec("breach" + i)))
                    .toCompletableFuture();
            assertThat(join(commit.appendAll(List.of(rec("alarm" + i))))).containsExactly(2L * i + 2);
            assertThat(join(breach)).containsExactly(2L * i + 1);
        }
        assertThat(metrics.timers().values().iterator().next().count())
                .as("forces for %d breaches and %d alarms", rounds, rounds).isEqualTo(rounds);
    }

    /** Alone, an unhurried append is still forced, after the wait. */
    @Test
    void anUnhurriedAppendAloneIsForcedAfterTheWait() {
        log = LogFixture.open(dir);
        commit = new GroupCommit(log, Durability.FORCED, 1 << 20, 64, new SimpleMetrics(), Runnable::run,
                published::incrementAndGet, GroupCommit.FOLLOW_UP_WAIT_NANOS, TimeUnit.MILLISECONDS.toNanos(5));
        assertThat(join(commit.appendUnhurried(List.of(rec("breach"))))).containsExactly(1L);
        assertThat(log.durableNext()).isEqualTo(2);
    }
}
