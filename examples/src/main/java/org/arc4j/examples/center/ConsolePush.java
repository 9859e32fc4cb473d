package org.arc4j.examples.center;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.arc4j.examples.center.http.WebSocketHub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes case and device changes to the consoles on one thread with a bounded queue ({@link #CAPACITY}). The
 * pipeline and the supervisor hand changes over without waiting. When the consoles cannot keep up and the queue
 * is full, the queued pushes are dropped and every console is closed: each reconnects within two seconds and
 * reloads its whole view, so no change is lost to an operator, only delivered as a reload. Counted in
 * {@link #overflows()}. Thread-safe.
 */
final class ConsolePush implements AutoCloseable {
    /** Pushes that may wait for the push thread. */
    static final int CAPACITY = 4_096;
    private static final Logger LOG = LoggerFactory.getLogger(ConsolePush.class);

    private final WebSocketHub hub;
    private final ThreadPoolExecutor thread;
    private final AtomicLong overflows = new AtomicLong();

    ConsolePush(WebSocketHub hub, ThreadFactory threads, int capacity) {
        this.hub = hub;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
                threads);
    }

    /**
     * Queues a message, built on the push thread.
     *
     * @param message makes the JSON text
     */
    void push(Supplier<String> message) {
        if (hub.size() == 0) {
            return;
        }
        try {
            thread.execute(() -> hub.broadcast(message.get()));
        } catch (RejectedExecutionException e) {
            if (thread.isShutdown()) {
                return;
            }
            overflows.incrementAndGet();
            thread.getQueue().clear();
            LOG.warn("consoles fell {} pushes behind: closing them so they reload", CAPACITY);
            hub.closeAll();
        }
    }

    /** @return how often the queue overflowed and the consoles were made to reload */
    long overflows() {
        return overflows.get();
    }

    /** Sends what is queued (up to 10 s), then stops. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
