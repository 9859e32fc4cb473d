package org.arc4j.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.metrics.MetricId;
import org.arc4j.core.metrics.SimpleMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's own behaviour beyond the store contract: group commit, back-pressure, failure, close. */
class JournalTest {
    static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");

    @TempDir
    Path tmp;

    static NewRecord rec(String p) {
        return new NewRecord(RecordType.EVENT, 1, T0, "acct", p.getBytes(StandardCharsets.UTF_8));
    }

    static Throwable failureOf(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("not completed", e);
        }
    }

    /** Blocks the next force of a segment until released, so appends pile up behind it. */
    static final class Gate implements HookedOpener.Hook {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean armed;

        @Override
        public void beforeForce(Path file) throws IOException {
            if (armed && file.getFileName().toString().endsWith(".seg")) {
                armed = false;
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Test
    void appendsWaitingBehindOneForceShareTheNextOne() throws Exception {
        HookedOpener opener = new HookedOpener();
        Gate gate = new Gate();
        opener.hook = gate;
        SimpleMetrics metrics = new SimpleMetrics();
        try (Journal j = Journal.builder(tmp).channelOpener(opener).metrics(metrics).open()) {
            gate.armed = true;
            CompletableFuture<Long> first = j.append(rec("first")).toCompletableFuture();
            assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();
            int forcesBefore = opener.forces.get();
            List<CompletableFuture<Long>> waiting = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                waiting.add(j.append(rec("w" + i)).toCompletableFuture());
            }
            assertThat(first).isNotDone();
            assertThat(waiting).noneMatch(CompletableFuture::isDone);
            gate.release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
            for (int i = 0; i < waiting.size(); i++) {
                assertThat(waiting.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i + 2L);
            }
            // the blocked force, then a handful more for all 500 that queued behind it (the writer may have
            // handed the forcer a few separate groups while it was blocked)
            assertThat(opener.forces.get() - forcesBefore).isBetween(1, 8);
            assertThat(metrics.counts()).containsEntry(new MetricId("journal.appends", List.of()), 501L);
        }
    }

    @Test
    void aFullQueueFailsTheAppendAtOnceWithATypedException() throws Exception {
        HookedOpener opener = new HookedOpener();
        Gate gate = new Gate();
        opener.hook = gate;
        SimpleMetrics metrics = new SimpleMetrics();
        try (Journal j = Journal.builder(tmp).channelOpener(opener).queueCapacity(4).metrics(metrics).open()) {
            gate.armed = true;
            CompletableFuture<Long> first = j.append(rec("first")).toCompletableFuture();
            assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();
            // the writer runs a few groups ahead of the blocked force, then the queue of 4 fills up
            List<CompletableFuture<Long>> accepted = new ArrayList<>();
            CompletableFuture<List<Long>> refused = null;
            for (int i = 0; i < 64 && refused == null; i++) {
                CompletableFuture<List<Long>> f = j.appendAll(List.of(rec("x" + i))).toCompletableFuture();
                if (f.isCompletedExceptionally()) {
                    refused = f;
                } else {
                    accepted.add(f.thenApply(ps -> ps.get(0)));
                }
            }
            assertThat(refused).as("refused once full").isNotNull();
            assertThat(failureOf(refused)).isInstanceOf(StoreException.Full.class).hasMessageContaining("4");
            assertThat(accepted.size()).isGreaterThanOrEqualTo(4);
            assertThat(accepted).noneMatch(CompletableFuture::isDone);
            gate.release.countDown();
            first.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < accepted.size(); i++) {
                assertThat(accepted.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i + 2L);
            }
            assertThat(j.append(rec("later")).toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .isEqualTo(accepted.size() + 2L);
            assertThat(metrics.counts()).containsEntry(new MetricId("journal.refused", List.of("reason", "full")), 1L);
        }
    }

    @Test
    void aFailedForceFailsItsAppendsAndEveryLaterOneUntilReopened() throws Exception {
        HookedOpener opener = new HookedOpener();
        try (Journal j = Journal.builder(tmp).channelOpener(opener).open()) {
            j.append(rec("ok")).toCompletableFuture().get(10, TimeUnit.SECONDS);
            opener.hook = f -> {
                throw new IOException("EIO");
            };
            assertThat(failureOf(j.append(rec("lost")).toCompletableFuture())).isInstanceOf(StoreException.Failed.class)
                    .hasRootCauseMessage("EIO");
            opener.hook = f -> { };
            assertThat(failureOf(j.append(rec("after")).toCompletableFuture()))
                    .isInstanceOf(StoreException.Failed.class);
        }
        try (Journal j = Journal.open(tmp)) {
            assertThat(j.read(1)).isPresent();
            assertThat(j.append(rec("again")).toCompletableFuture().get(10, TimeUnit.SECONDS)).isGreaterThan(1L);
        }
    }

    @Test
    void osBufferedCompletesWithoutForcing() throws Exception {
        HookedOpener opener = new HookedOpener();
        try (Journal j = Journal.builder(tmp).channelOpener(opener).durability(Durability.OS_BUFFERED).open()) {
            int before = opener.forces.get();
            for (int i = 0; i < 100; i++) {
                j.append(rec("b" + i)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            assertThat(opener.forces.get()).isEqualTo(before);
            assertThat(j.durability()).isEqualTo(Durability.OS_BUFFERED);
        }
        assertThat(opener.forces.get()).as("forced on close").isGreaterThan(0);
        try (Journal j = Journal.open(tmp)) {
            assertThat(j.nextPosition()).isEqualTo(101);
        }
    }

    @Test
    void closeCompletesWhatWasQueuedAndThenRefuses() throws Exception {
        List<CompletableFuture<Long>> fs = new ArrayList<>();
        Journal j = Journal.open(tmp);
        for (int i = 0; i < 2000; i++) {
            fs.add(j.append(rec("c" + i)).toCompletableFuture());
        }
        j.close();
        for (CompletableFuture<Long> f : fs) {
            assertThat(f).isCompleted();
            f.get();
        }
        assertThat(failureOf(j.append(rec("late")).toCompletableFuture())).isInstanceOf(StoreException.Closed.class);
        assertThatThrownBy(() -> j.read(1)).isInstanceOf(StoreException.Closed.class);
        assertThatThrownBy(() -> j.replay(1, r -> { })).isInstanceOf(StoreException.Closed.class);
        assertThatThrownBy(() -> j.subscribe(1, r -> { })).isInstanceOf(StoreException.Closed.class);
        assertThatThrownBy(() -> j.events(EventQuery.all())).isInstanceOf(StoreException.Closed.class);
        j.close();
        try (Journal again = Journal.open(tmp)) {
            assertThat(again.nextPosition()).isEqualTo(2001);
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefused() {
        try (Journal j = Journal.open(tmp)) {
            assertThat(j.directory()).isEqualTo(tmp);
            assertThatThrownBy(() -> Journal.open(tmp)).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("cannot open journal");
        }
    }

    @Test
    void oversizedInputIsRefusedWithoutTouchingTheLog() throws Exception {
        try (Journal j = Journal.builder(tmp).segmentBytes(4096).open()) {
            assertThat(failureOf(j.append(new NewRecord(RecordType.EVENT, 1, T0, "a", new byte[5000]))
                    .toCompletableFuture())).isInstanceOf(IllegalArgumentException.class);
            assertThat(failureOf(j.append(new NewRecord(RecordType.EVENT, 1, T0, "x".repeat(70_000), new byte[1]))
                    .toCompletableFuture())).isInstanceOf(IllegalArgumentException.class);
            assertThat(failureOf(j.appendAll(List.of()).toCompletableFuture()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(j.nextPosition()).isEqualTo(1);
        }
    }

    @Test
    void aFailingSubscriberIsClosedAndOthersGoOn() throws Exception {
        try (Journal j = Journal.open(tmp)) {
            List<Long> good = new CopyOnWriteArrayList<>();
            List<Long> bad = new CopyOnWriteArrayList<>();
            j.subscribe(1, r -> {
                bad.add(r.position());
                throw new IllegalStateException("boom");
            });
            j.subscribe(1, r -> good.add(r.position()));
            for (int i = 0; i < 10; i++) {
                j.append(rec("s" + i)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (good.size() < 10 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(good).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(bad).containsExactly(1L);
        }
    }

    @Test
    void recordsKeepEveryFieldAcrossReopen() throws Exception {
        NewRecord r = new NewRecord(RecordType.CONFIG_CHANGE, 65535, Instant.parse("2026-11-24T01:02:03.123456789Z"),
                "账户/1001", new byte[] {0, 1, (byte) 0xFF});
        try (Journal j = Journal.open(tmp)) {
            j.append(r).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        try (Journal j = Journal.open(tmp)) {
            StoredRecord s = j.read(1).orElseThrow();
            assertThat(s.type()).isEqualTo(RecordType.CONFIG_CHANGE);
            assertThat(s.version()).isEqualTo(65535);
            assertThat(s.at()).isEqualTo(r.at());
            assertThat(s.subject()).isEqualTo("账户/1001");
            assertThat(s.payload()).containsExactly(0, 1, 0xFF);
        }
    }
}
