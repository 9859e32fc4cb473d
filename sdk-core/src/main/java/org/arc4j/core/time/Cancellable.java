package org.arc4j.core.time;

/** A handle on a scheduled task. */
public interface Cancellable {
    /**
     * Cancels the task if it has not started. Idempotent.
     *
     * @return true if this call stopped the task from running
     */
    boolean cancel();

    /** @return true once the task was cancelled */
    boolean isCancelled();
}
