package org.arc4j.core.intake;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded hand-off from a {@link StoreAlarmIntake} to one consumer that runs on a thread of its own, such as the
 * alarm pipeline. The intake's listeners run on the store's writer thread, which must not wait for the pipeline,
 * and an unbounded queue between them would let a flood of alarms fill the heap with acceptances the pipeline has
 * not reached.
 *
 * <p><b>Overflow.</b> The queue never refuses an acceptance: once events are durable they must reach the consumer.
 * Instead the intake refuses <em>new</em> messages with {@link RefusalReason#BACKPRESSURE} while this queue's
 * backlog plus the messages in flight in the intake would reach {@link #capacity()}, so the adapter withholds its
 * acknowledgement and the device retransmits later, as it would to a busy receiver. The queue's storage holds
 * {@code capacity} plus the intake's in-flight limit, which covers the acceptances completing while a new message
 * is admitted.
 *
 * <p>A consumer that throws is logged and given the next acceptance; the thread never dies of it.
 */
public final class AcceptanceQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AcceptanceQueue.class);
    private static final Receipt.Accepted STOP = new Receipt.Accepted(IdempotencyKey.ofValue("arc4j:stop"),
            java.util.List.of(), true);

    private final String name;
    private final int capacity;
    private final BlockingQueue<Receipt.Accepted> queue;
    private final Consumer<Receipt.Accepted> consumer;
    private final Thread thread;

    private AcceptanceQueue(String name, int capacity, int slack, Consumer<Receipt.Accepted> consumer) {
        this.name = name;
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity + slack + 1);
        this.consumer = consumer;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /**
     * Starts a queue and its thread, and registers it with the intake: as its listener, and as a bound on what the
     * intake admits.
     *
     * @param intake   the intake
     * @param name     the thread's name, also in the refusal's detail
     * @param capacity acceptances the consumer may be behind before new messages are refused, at least 1
     * @param consumer what takes each acceptance, on the queue's thread
     * @return the queue, running
     */
    public static AcceptanceQueue attach(StoreAlarmIntake intake, String name, int capacity,
                                         Consumer<Receipt.Accepted> consumer) {
        Objects.requireNonNull(intake, "intake");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(consumer, "consumer");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        AcceptanceQueue q = new AcceptanceQueue(name, capacity, intake.maxPending(), consumer);
        q.thread.start();
        intake.bound(q);
        intake.addListener(q::offer);
        return q;
    }

    /** @return the name given at {@link #attach} */
    public String name() {
        return name;
    }

    /** @return how many acceptances the consumer may be behind before the intake refuses new messages */
    public int capacity() {
        return capacity;
    }

    /** @return acceptances queued and not yet taken by the consumer */
    public int backlog() {
        return queue.size();
    }

    private void offer(Receipt.Accepted a) {
        if (!queue.offer(a)) {
            // cannot happen while the intake admits by backlog; the events are durable, so wait rather than lose
            LOG.error("{} is full beyond its bound; the store's writer waits for it", name);
            try {
                queue.put(a);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.error("{}: interrupted; an acceptance reaches the consumer only after a restart", name);
            }
        }
    }

    private void run() {
        while (true) {
            Receipt.Accepted a;
            try {
                a = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (a == STOP) {
                return;
            }
            try {
                consumer.accept(a);
            } catch (RuntimeException e) {
                LOG.error("{}: the consumer failed on an acceptance of {}", name, a.key().value(), e);
            }
        }
    }

    /**
     * Lets the consumer take what is queued, then stops the thread; waits up to the given time.
     *
     * @param timeout how long to wait for the queue to drain
     * @return true if the thread ended in time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        if (!queue.offer(STOP, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            thread.interrupt();
            return false;
        }
        thread.join(timeout.toMillis());
        return !thread.isAlive();
    }

    /** Stops the thread after what is queued, waiting up to ten seconds. */
    @Override
    public void close() {
        try {
            if (!drain(Duration.ofSeconds(10))) {
                LOG.warn("{} did not drain in 10 s; {} acceptances left to replay after a restart", name, backlog());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
