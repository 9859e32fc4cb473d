package org.arc4j.core.store.internal;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.StoredRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's subscriptions: one dispatcher thread ({@code arc4j-journal-subscriptions}) reads each
 * subscription's next durable records from the {@link SegmentLog} and hands them to its consumer, in position
 * order, at most 1024 at a time per subscription so that one slow reader's backlog does not starve the others.
 * When every subscription is current it does the {@link Background} work (keeping the query index current), then
 * sleeps until {@link #wake()} (after each published group) or 100 ms.
 *
 * <p>Threads: {@link #subscribe}, {@link #wake} and a subscription's {@code close} from any thread; consumers run
 * on the dispatcher thread only, one record at a time. A consumer that throws loses its subscription; a failed
 * read is retried after the pause.
 */
final class Subscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(org.arc4j.core.store.Journal.class);
    private static final int PER_TURN = 1024;

    /** What the dispatcher does when no subscription is behind. */
    interface Background {
        /** @return whether there is work to do */
        boolean behind();

        /** Does it; may throw (logged, tried again later). */
        void catchUp();
    }

    private final SegmentLog log;
    private final Background background;
    private final List<Sub> subscriptions = new CopyOnWriteArrayList<>();
    private final ReentrantLock dispatchLock = new ReentrantLock();
    private final Condition dispatchWake = dispatchLock.newCondition();
    private final Thread dispatcher;
    private volatile boolean stopped;

    /**
     * Starts the dispatcher.
     *
     * @param log        the log, started
     * @param background what to do when every subscription is current
     */
    Subscriptions(SegmentLog log, Background background) {
        this.log = log;
        this.background = background;
        this.dispatcher = new Thread(this::dispatchLoop, "arc4j-journal-subscriptions");
        this.dispatcher.setDaemon(true);
        this.dispatcher.start();
    }

    private final class Sub implements RecordStore.Subscription {
        final Consumer<StoredRecord> consumer;
        /** Dispatcher thread only, after construction. */
        long next;
        volatile boolean open = true;

        Sub(Consumer<StoredRecord> consumer, long next) {
            this.consumer = consumer;
            this.next = next;
        }

        @Override
        public void close() {
            open = false;
            subscriptions.remove(this);
        }
    }

    /**
     * Adds a subscription.
     *
     * @param fromPosition the first position to deliver
     * @param consumer     called on the dispatcher thread
     * @return the subscription
     */
    RecordStore.Subscription subscribe(long fromPosition, Consumer<StoredRecord> consumer) {
        Sub s = new Sub(Objects.requireNonNull(consumer, "consumer"), Math.max(1, fromPosition));
        subscriptions.add(s);
        wake();
        return s;
    }

    /** Wakes the dispatcher: records were published or a subscription was added. */
    void wake() {
        dispatchLock.lock();
        try {
            dispatchWake.signal();
        } finally {
            dispatchLock.unlock();
        }
    }

    /** The dispatcher stops at its next turn (records published later are not delivered). */
    void stop() {
        stopped = true;
    }

    /** Stops the dispatcher, waits for it (at most 10 s: a consumer may hang) and closes every subscription. */
    void close() {
        stopped = true;
        dispatchLock.lock();
        try {
            dispatchWake.signalAll();
        } finally {
            dispatchLock.unlock();
        }
        try {
            dispatcher.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Sub s : subscriptions) {
            s.close();
        }
    }

    private void dispatchLoop() {
        while (!stopped) {
            boolean behind = false;
            boolean readFailed = false;
            for (Sub s : subscriptions) {
                long end = log.durableNext();
                int n = 0;
                while (s.open && s.next < end && n < PER_TURN) {
                    StoredRecord r;
                    try {
                        r = log.next(s.next, end);
                    } catch (RuntimeException e) {
                        LOG.error("journal {}: subscription read failed at {}; retrying", log.directory(), s.next, e);
                        readFailed = true;
                        break;
                    }
                    if (r == null) {
                        s.next = end;
                        break;
                    }
                    try {
                        s.consumer.accept(r);
                    } catch (RuntimeException e) {
                        LOG.error("journal {}: a subscriber failed on position {}; its subscription is closed",
                                log.directory(), r.position(), e);
                        s.close();
                        break;
                    }
                    s.next = r.position() + 1;
                    n++;
                }
                behind |= s.open && s.next < log.durableNext();
            }
            if (behind && !readFailed) {
                continue;
            }
            if (!readFailed && background.behind()) {
                // keeps the query index current in the background, so queries and close find little to do
                try {
                    background.catchUp();
                } catch (RuntimeException e) {
                    LOG.error("journal {}: indexing failed; queries catch up on their own", log.directory(), e);
                }
                continue;
            }
            dispatchLock.lock();
            try {
                boolean idle = !background.behind();
                for (Sub s : subscriptions) {
                    idle &= s.next >= log.durableNext();
                }
                if ((idle || readFailed) && !stopped) {
                    dispatchWake.awaitNanos(100_000_000L);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                dispatchLock.unlock();
            }
        }
    }
}
