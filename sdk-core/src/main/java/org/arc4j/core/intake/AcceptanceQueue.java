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
 * alarm pipeline. Each acceptance is handed over as soon as the store has written it, on the store's writer thread
 * ({@link StoreAlarmIntake#handOff}), which must not wait for the pipeline, and an unbounded queue between them
 * would let a flood of alarms fill the heap with acceptances the pipeline has not reached. Once the consumer has
 * taken an acceptance (and issued its appends) the store's force is released: the journal forces the alarm, its
 * receipt and the consumer's records (a case's opening and the transitions it causes) together, and the receipt,
 * hence the ACK, completes after that force. The consumer may so see an acceptance a few milliseconds before it is
 * durable; if that force fails the journal has failed, and the receipt is refused.
 *
 * <p><b>Overflow.</b> The queue never refuses an acceptance: once events are written they must reach the consumer.
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
    private static final Item STOP = new Item(new Receipt.Accepted(IdempotencyKey.ofValue("arc4j:stop"),
            java.util.List.of(), true), () -> { });

    /** An acceptance and the release of the store's force that waits for what the consumer appends. */
    private record Item(Receipt.Accepted accepted, Runnable release) {
    }

    private final String name;
    private final int capacity;
    private final BlockingQueue<Item> queue;
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
        intake.handOff(q::offer);
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

    private void offer(Receipt.Accepted accepted, Runnable release) {
        Item a = new Item(accepted, release);
        if (!queue.offer(a)) {
            // cannot happen while the intake admits by backlog; the events are durable, so wait rather than lose
            LOG.error("{} is full beyond its bound; the store's writer waits for it", name);
            try {
                queue.put(a);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                release.run();
                LOG.error("{}: interrupted; an acceptance reaches the consumer only after a restart", name);
            }
        }
    }

    private void run() {
        while (true) {
            Item a;
            try {
                a = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (a == STOP) {
                return;
            }
            try {
                consumer.accept(a.accepted());
            } catch (RuntimeException e) {
                LOG.error("{}: the consumer failed on an acceptance of {}", name, a.accepted().key().value(), e);
            } finally {
                // what the consumer appended is queued in the store now: the store may force
                a.release().run();
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
