package org.arc4j.core.store.internal;

import static org.arc4j.core.store.internal.LogFixture.putAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.StoredRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The subscription dispatcher alone, over a segment log published by hand. */
class SubscriptionsTest {
    @TempDir
    Path dir;
    private SegmentLog log;
    private Subscriptions subs;

    /** Background work that is never due. */
    private static final Subscriptions.Background NOTHING = new Subscriptions.Background() {
        @Override
        public boolean behind() {
            return false;
        }

        @Override
        public void catchUp() {
        }
    };

    @AfterEach
    void close() {
        if (subs != null) {
            subs.close();
        }
        log.release();
    }

    private static String take(BlockingQueue<StoredRecord> q) throws InterruptedException {
        StoredRecord r = q.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("a record within 10 s").isNotNull();
        return r.position() + "=" + LogFixture.text(r);
    }

    @Test
    void deliversFromTheRequestedPositionInOrderThenWhatIsPublishedLater() throws InterruptedException {
        log = LogFixture.open(dir);
        putAll(log, 1, "a", "b", "c");
        subs = new Subscriptions(log, NOTHING);
        BlockingQueue<StoredRecord> got = new LinkedBlockingQueue<>();
        subs.subscribe(2, got::add);
        assertThat(take(got)).isEqualTo("2=b");
        assertThat(take(got)).isEqualTo("3=c");
        putAll(log, 4, "d");
        subs.wake();
        assertThat(take(got)).isEqualTo("4=d");
    }

    @Test
    void aConsumerThatThrowsLosesItsSubscriptionAndTheOthersGoOn() throws InterruptedException {
        log = LogFixture.open(dir);
        putAll(log, 1, "a");
        subs = new Subscriptions(log, NOTHING);
        List<Long> failing = new CopyOnWriteArrayList<>();
        subs.subscribe(1, r -> {
            failing.add(r.position());
            throw new IllegalStateException("consumer bug");
        });
        BlockingQueue<StoredRecord> got = new LinkedBlockingQueue<>();
        subs.subscribe(1, got::add);
        assertThat(take(got)).isEqualTo("1=a");
        putAll(log, 2, "b");
        subs.wake();
        assertThat(take(got)).isEqualTo("2=b");
        // the dispatcher visits subscriptions in order: had the first still been open, it would have seen 2
        assertThat(failing).containsExactly(1L);
    }

    @Test
    void aClosedSubscriptionGetsNothingMore() throws InterruptedException {
        log = LogFixture.open(dir);
        putAll(log, 1, "a");
        subs = new Subscriptions(log, NOTHING);
        BlockingQueue<StoredRecord> closed = new LinkedBlockingQueue<>();
        RecordStore.Subscription s = subs.subscribe(1, closed::add);
        assertThat(take(closed)).isEqualTo("1=a");
        s.close();
        BlockingQueue<StoredRecord> open = new LinkedBlockingQueue<>();
        subs.subscribe(2, open::add);
        putAll(log, 2, "b");
        subs.wake();
        assertThat(take(open)).isEqualTo("2=b");
        assertThat(closed).isEmpty();
    }

    @Test
    void theBackgroundWorkRunsAfterTheSubscribersAreServedAndAgainWhenDue() throws InterruptedException {
        log = LogFixture.open(dir);
        putAll(log, 1, "a", "b");
        AtomicBoolean due = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger delivered = new java.util.concurrent.atomic.AtomicInteger();
        BlockingQueue<Integer> runs = new LinkedBlockingQueue<>();
        BlockingQueue<StoredRecord> got = new LinkedBlockingQueue<>();
        subs = new Subscriptions(log, new Subscriptions.Background() {
            @Override
            public boolean behind() {
                return due.get();
            }

            @Override
            public void catchUp() {
                due.set(false);
                // how many records had reached the subscriber when the work ran
                runs.add(delivered.get());
            }
        });
        subs.subscribe(1, r -> {
            delivered.incrementAndGet();
            got.add(r);
        });
        assertThat(take(got)).isEqualTo("1=a");
        assertThat(take(got)).isEqualTo("2=b");
        due.set(true);
        subs.wake();
        assertThat(runs.poll(10, TimeUnit.SECONDS)).isEqualTo(2);
        putAll(log, 3, "c");
        due.set(true);
        subs.wake();
        assertThat(take(got)).isEqualTo("3=c");
        // the new record reaches the subscriber before the background work runs again
        assertThat(runs.poll(10, TimeUnit.SECONDS)).isEqualTo(3);
    }
}
