package org.arc4j.core.store.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's completion thread ({@code arc4j-journal-completions}): completes the append stages in the order the
 * forcer publishes them, so that the stages' dependents (the intake's receipts and listeners, the adapters' ACKs,
 * the pipeline's snapshots) never run on the forcer before its next force.
 *
 * <p><b>Bound.</b> At most {@value #CAPACITY} groups wait; when that many are queued, {@link #execute} blocks the
 * forcer until the thread catches up: durability then waits for the dependents, the writer's hand-off queue fills
 * and new appends are refused with {@code StoreException.Full}, so the adapters withhold their ACKs. Dependents never
 * wait for the forcer (appends never block), so this cannot deadlock.
 *
 * <p>A task that throws is logged and the next one runs. Thread-safe.
 */
final class Completions implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(org.arc4j.core.store.Journal.class);
    /** Groups waiting to be completed before the forcer waits. */
    static final int CAPACITY = 4096;
    private static final Runnable STOP = () -> { };

    private final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread thread;

    Completions() {
        thread = new Thread(this::run, "arc4j-journal-completions");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void execute(Runnable task) {
        if (Thread.currentThread() == thread) {
            task.run(); // never on this thread today; a put here could wait for itself
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(task);
                break;
            } catch (InterruptedException e) {
                interrupted = true; // a completion is never dropped
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (true) {
            Runnable r;
            try {
                r = queue.take();
            } catch (InterruptedException e) {
                continue;
            }
            if (r == STOP) {
                return;
            }
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("a journal completion failed", e);
            }
        }
    }

    /** Runs what is queued, then stops the thread (unless called from it, which happens when a dependent closes). */
    void close() {
        if (Thread.currentThread() == thread) {
            queue.offer(STOP); // after what is queued; if full, the daemon thread idles on, harmless
            return;
        }
        execute(STOP);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
