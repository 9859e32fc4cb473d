package org.arc4j.examples.center;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.intake.AlarmIntake;
import org.arc4j.core.intake.IdempotencyKey;
import org.arc4j.core.intake.Receipt;

/**
 * An {@link AlarmIntake} in front of the durable one that never drops an alarm from an account nobody configured:
 * such an event is accepted like any other (so the panel gets its ACK) and carries the extended field
 * {@code flag = unknown account}, which the console shows to the operators. The idempotency key is the
 * adapter's, unchanged, so retransmissions are still recognised. Thread-safe if the predicate is.
 */
final class AccountCheckingIntake implements AlarmIntake {
    /** The extended field that marks an event. */
    static final String FLAG = "flag";
    /** Its value for an account nobody configured. */
    static final String UNKNOWN_ACCOUNT = "unknown account";

    private final AlarmIntake durable;
    private final Predicate<AlarmEvent> known;

    /**
     * @param durable the durable intake
     * @param known   tells whether an event's account is configured
     */
    AccountCheckingIntake(AlarmIntake durable, Predicate<AlarmEvent> known) {
        this.durable = Objects.requireNonNull(durable, "durable");
        this.known = Objects.requireNonNull(known, "known");
    }

    @Override
    public CompletionStage<Receipt> accept(List<AlarmEvent> events, IdempotencyKey key) {
        if (events == null) {
            return durable.accept(null, key);
        }
        List<AlarmEvent> checked = null;
        for (int i = 0; i < events.size(); i++) {
            AlarmEvent e = events.get(i);
            // an adapter's own flag (a GB/T 28181 "suspected spoof") says more and is kept
            if (e.account() != null && !e.account().isEmpty() && !e.extended().containsKey(FLAG) && !known.test(e)) {
                if (checked == null) {
                    checked = new ArrayList<>(events);
                }
                checked.set(i, e.toBuilder().extended(FLAG, UNKNOWN_ACCOUNT).build());
            }
        }
        return durable.accept(checked == null ? events : checked, key);
    }
}
