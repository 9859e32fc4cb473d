package org.arc4j.core.pipeline.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;

/**
 * A scheduler whose tasks run holding a lock: the pipeline gives its parts this view of its scheduler, so that
 * a deadline, an escalation or a schedule check that falls due runs under the same lock as every other change,
 * and the parts themselves need no locking.
 */
public final class LockedScheduler implements Scheduler {
    private final Scheduler delegate;
    private final Object lock;

    /**
     * @param delegate the scheduler that keeps the time and runs the tasks
     * @param lock     the lock each task holds while it runs
     */
    public LockedScheduler(Scheduler delegate, Object lock) {
        this.delegate = delegate;
        this.lock = lock;
    }

    private Runnable locked(Runnable task) {
        return () -> {
            synchronized (lock) {
                task.run();
            }
        };
    }

    @Override
    public Clock clock() {
        return delegate.clock();
    }

    @Override
    public Instant now() {
        return delegate.now();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        return delegate.schedule(delay, locked(task));
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task, Executor executor) {
        return delegate.schedule(delay, locked(task), executor);
    }

    @Override
    public Cancellable scheduleAt(Instant at, Runnable task) {
        return delegate.scheduleAt(at, locked(task));
    }

    @Override
    public Cancellable scheduleAtFixedRate(Duration period, Runnable task) {
        return delegate.scheduleAtFixedRate(period, locked(task));
    }
}
