package org.arc4j.examples.center;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waits in tests for what another process or thread makes true, polling every 50 ms up to a bound. */
final class Await {
    private Await() {
    }

    /**
     * @param condition what must become true
     * @param what      named in the failure
     * @param seconds   the bound
     * @throws InterruptedException if interrupted
     * @throws AssertionError       if the bound passes first
     */
    static void until(BooleanSupplier condition, String what, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
