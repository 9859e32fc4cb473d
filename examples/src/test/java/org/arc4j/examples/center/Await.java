package org.arc4j.examples.center;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits in tests for what another process or thread makes true, up to a bound in seconds: the centre's ITs' short
 * form of {@link org.arc4j.core.testkit.Await#until}, which new tests call directly.
 */
final class Await {
    private Await() {
    }

    /**
     * @param condition what must become true
     * @param what      named in the failure
     * @param seconds   the bound
     * @throws AssertionError if the bound passes first, or the thread is interrupted
     */
    static void until(BooleanSupplier condition, String what, int seconds) {
        org.arc4j.core.testkit.Await.until(Duration.ofSeconds(seconds), condition, () -> what);
    }
}
