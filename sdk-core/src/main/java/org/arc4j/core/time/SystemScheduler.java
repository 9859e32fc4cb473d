package org.arc4j.core.time;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link Scheduler}: the system UTC clock and one daemon timer thread
 * ({@code arc4j-scheduler}). Delays are measured on the monotonic clock, so a wall-clock step does not
 * fire or delay timers; {@link #scheduleAt} converts its instant once, when called.
 *
 * <p><b>How timers are kept.</b> A centre holds a timer per open case step and per supervised device, most of
 * them seconds to hours away and most cancelled before they fire (a step completed, a keepalive arrived). Timers
 * due within the current slot of about a second sit in a binary heap; later ones in a ring of about-one-second
 * buckets (4,096 of them, about 73 minutes; a timer further out waits in its bucket for its round). Scheduling
 * and cancelling a far timer is a constant-time link or unlink and one object, the handle; the timer thread
 * moves a bucket into the heap when its slot begins, so it wakes once a slot at most while far timers exist,
 * and otherwise only when a timer is due.
 *
 * <p>A task that throws is logged and does not stop other tasks (a periodic one keeps its schedule).
 * Tasks with the same deadline run in the order they were scheduled. Thread-safe. Close it to stop the thread;
 * tasks still pending are dropped.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SystemScheduler.class);
    /** A slot is 2^30 ns, about 1.07 s. */
    private static final int SLOT_BITS = 30;
    private static final int BUCKETS = 4096;
    private final int slotBits;
    private final int bucketMask;
    private static final Executor DIRECT = Runnable::run;

    private final Clock clock;
    /** Deadlines are nanoseconds since this {@code System.nanoTime()}, so they are never negative. */
    private final long origin = System.nanoTime();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread thread;

    // guarded by lock
    private Timer[] heap = new Timer[64];
    private int heapSize;
    private final Timer[] buckets;
    private int far;
    /** Every far timer's slot is after this one; every heap timer's is at or before it. */
    private long cursor;
    private long sequence;
    /** When the thread will look again, in deadline nanoseconds; Long.MAX_VALUE while it waits for a signal. */
    private long wakeAt = Long.MAX_VALUE;
    private boolean closed;

    /** A scheduler on {@link Clock#systemUTC()}. */
    public SystemScheduler() {
        this(Clock.systemUTC());
    }

    /**
     * A scheduler whose {@link #now()} reads the given clock (delays still run on the monotonic clock).
     *
     * @param clock the clock
     */
    public SystemScheduler(Clock clock) {
        this(clock, SLOT_BITS, BUCKETS);
    }

    /** With other slot and ring sizes, so that tests reach later rounds of the ring within seconds. */
    SystemScheduler(Clock clock, int slotBits, int buckets) {
        if (Integer.bitCount(buckets) != 1) {
            throw new IllegalArgumentException("buckets must be a power of two: " + buckets);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.slotBits = slotBits;
        this.buckets = new Timer[buckets];
        this.bucketMask = buckets - 1;
        this.thread = new Thread(this::run, "arc4j-scheduler");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task, Executor executor) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(executor, "executor");
        return start(new Timer(task, executor, 0), delay.isNegative() ? 0 : saturatedNanos(delay));
    }

    @Override
    public Cancellable scheduleAtFixedRate(Duration period, Runnable task) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        Objects.requireNonNull(task, "task");
        long nanos = saturatedNanos(period);
        return start(new Timer(task, DIRECT, nanos), nanos);
    }

    /** Adds a timer due in {@code nanos} from now; on a closed scheduler it never runs. */
    private Timer start(Timer t, long nanos) {
        lock.lock();
        try {
            if (!closed) {
                t.deadline = saturatedAdd(elapsed(), nanos);
                add(t);
            }
        } finally {
            lock.unlock();
        }
        return t;
    }

    private long elapsed() {
        return System.nanoTime() - origin;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return r < a ? Long.MAX_VALUE / 2 : Math.min(r, Long.MAX_VALUE / 2);
    }

    // ------------------------------------------------------------------ structures (under lock)

    private void add(Timer t) {
        t.seq = sequence++;
        long slot = t.deadline >>> slotBits;
        if (slot <= cursor) {
            heapAdd(t);
        } else {
            int b = (int) (slot & bucketMask);
            Timer head = buckets[b];
            t.next = head;
            if (head != null) {
                head.prev = t;
            }
            buckets[b] = t;
            t.index = Timer.FAR;
            far++;
        }
        long due = slot <= cursor ? t.deadline : (cursor + 1) << slotBits;
        if (due < wakeAt) {
            changed.signal();
        }
    }

    private boolean remove(Timer t) {
        if (t.index >= 0) {
            heapRemove(t.index);
        } else if (t.index == Timer.FAR) {
            int b = (int) ((t.deadline >>> slotBits) & bucketMask);
            if (t.prev != null) {
                t.prev.next = t.next;
            } else {
                buckets[b] = t.next;
            }
            if (t.next != null) {
                t.next.prev = t.prev;
            }
            t.prev = null;
            t.next = null;
            far--;
        } else {
            return false;
        }
        t.index = Timer.NONE;
        return true;
    }

    /** Moves the far timers of every slot that has begun into the heap. */
    private void advance(long now) {
        long slot = now >>> slotBits;
        if (far == 0) {
            cursor = Math.max(cursor, slot);
            return;
        }
        while (cursor < slot) {
            cursor++;
            int b = (int) (cursor & bucketMask);
            Timer t = buckets[b];
            while (t != null) {
                Timer next = t.next;
                if (t.deadline >>> slotBits <= cursor) {
                    remove(t);
                    heapAdd(t);
                }
                t = next;
            }
            if (far == 0) {
                cursor = Math.max(cursor, slot);
            }
        }
    }

    private static boolean before(Timer a, Timer b) {
        return a.deadline < b.deadline || a.deadline == b.deadline && a.seq < b.seq;
    }

    private void heapAdd(Timer t) {
        if (heapSize == heap.length) {
            heap = Arrays.copyOf(heap, heap.length * 2);
        }
        int i = heapSize++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timer p = heap[parent];
            if (!before(t, p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = t;
        t.index = i;
    }

    private void heapRemove(int i) {
        Timer last = heap[--heapSize];
        heap[heapSize] = null;
        if (i == heapSize) {
            return;
        }
        // put the last one in the hole, then move it down or up to where it belongs
        int hole = i;
        while (true) {
            int child = 2 * hole + 1;
            if (child >= heapSize) {
                break;
            }
            if (child + 1 < heapSize && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], last)) {
                break;
            }
            heap[hole] = heap[child];
            heap[hole].index = hole;
            hole = child;
        }
        while (hole > 0) {
            int parent = (hole - 1) >>> 1;
            if (!before(last, heap[parent])) {
                break;
            }
            heap[hole] = heap[parent];
            heap[hole].index = hole;
            hole = parent;
        }
        heap[hole] = last;
        last.index = hole;
    }

    // ------------------------------------------------------------------ the timer thread

    private void run() {
        List<Timer> due = new ArrayList<>();
        while (true) {
            lock.lock();
            try {
                while (true) {
                    if (closed) {
                        return;
                    }
                    long now = elapsed();
                    advance(now);
                    while (heapSize > 0 && heap[0].deadline <= now) {
                        Timer t = heap[0];
                        heapRemove(0);
                        t.index = Timer.RUNNING;
                        due.add(t);
                    }
                    if (!due.isEmpty()) {
                        break;
                    }
                    long next = heapSize > 0 ? heap[0].deadline : Long.MAX_VALUE;
                    if (far > 0) {
                        next = Math.min(next, (cursor + 1) << slotBits);
                    }
                    wakeAt = next;
                    try {
                        if (next == Long.MAX_VALUE) {
                            changed.await();
                        } else {
                            changed.awaitNanos(next - now);
                        }
                    } catch (InterruptedException e) {
                        if (closed) {
                            return;
                        }
                    } finally {
                        wakeAt = Long.MAX_VALUE;
                    }
                }
            } finally {
                lock.unlock();
            }
            for (Timer t : due) {
                fire(t);
            }
            due.clear();
        }
    }

    private void fire(Timer t) {
        if (t.executor == DIRECT) {
            t.run();
        } else {
            try {
                t.executor.execute(t);
            } catch (RejectedExecutionException e) {
                LOG.warn("timer task dropped: its executor is shut down");
            }
        }
        if (t.period > 0) {
            lock.lock();
            try {
                if (t.index == Timer.RUNNING && !closed) {
                    // the next run is due a period after this one was; runs missed meanwhile collapse into one
                    long now = elapsed();
                    long next = saturatedAdd(t.deadline, t.period);
                    t.deadline = next > now ? next : now;
                    add(t);
                }
            } finally {
                lock.unlock();
            }
        } else {
            lock.lock();
            try {
                if (t.index == Timer.RUNNING) {
                    t.index = Timer.DONE;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Stops the timer thread; pending tasks do not run. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signal();
            for (int i = 0; i < heapSize; i++) {
                heap[i].index = Timer.NONE;
                heap[i] = null;
            }
            heapSize = 0;
            for (int b = 0; b < buckets.length; b++) {
                for (Timer t = buckets[b]; t != null; t = t.next) {
                    t.index = Timer.NONE;
                }
                buckets[b] = null;
            }
            far = 0;
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One scheduled task: its own handle, and what the timer thread runs or hands to the executor. */
    private final class Timer implements Cancellable, Runnable {
        /** {@link #index} values other than a heap index. */
        static final int FAR = -1;
        static final int NONE = -2;
        static final int RUNNING = -3;
        static final int DONE = -4;
        static final int CANCELLED = -5;

        final Runnable task;
        final Executor executor;
        final long period;
        long deadline;
        long seq;
        /** The heap index, or one of the states above. */
        int index = NONE;
        Timer prev;
        Timer next;

        Timer(Runnable task, Executor executor, long period) {
            this.task = task;
            this.executor = executor;
            this.period = period;
        }

        @Override
        public void run() {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("timer task failed", e);
            }
        }

        @Override
        public boolean cancel() {
            lock.lock();
            try {
                int state = index;
                if (state == DONE || state == CANCELLED) {
                    return false;
                }
                if (state >= 0 || state == FAR) {
                    remove(this);
                    index = CANCELLED;
                    return true;
                }
                index = CANCELLED;
                // running now: a one-shot task cannot be stopped any more, a periodic one is not run again
                return state == RUNNING && period > 0;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean isCancelled() {
            lock.lock();
            try {
                return index == CANCELLED;
            } finally {
                lock.unlock();
            }
        }
    }
}
