package org.arc4j.core.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.arc4j.core.customer.AccountKey;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.Transport;
import org.arc4j.core.sla.SlaBreach;
import org.arc4j.core.sla.SlaStep;
import org.arc4j.core.sla.VerificationMethod;

/**
 * An immutable snapshot of an alarm case: what an operator console shows and what the store proves, step by
 * step, against GA 1383's limits (报警接收与处置).
 *
 * @param id                  the case id ({@code C} + the first event's id)
 * @param state               how far it has come
 * @param event               the first event
 * @param category            the alarm's category
 * @param priority            its priority, 1 most urgent (the category's)
 * @param keyCustomer         true for a key customer (重要客户)
 * @param drill               true for a drill (演练): never forwarded to police, kept out of statistics
 * @param account             the reporting panel
 * @param customerId          the customer, or null for an unknown account
 * @param siteId              the site, or null
 * @param transport           the transport whose response limit applies
 * @param actionPlan          the name of the action plan (报警处置预案) shown with it, or null
 * @param responseStart       when the response clock started: the device time corrected by its known skew,
 *                            else the receipt
 * @param arrivals            every arrival, first first
 * @param transitions         every step, in order
 * @param stepDurations       the measured duration of each completed timed step
 * @param handOff             receipt to console queue (the internal hand-off), or null
 * @param responseFromReceipt receipt to presentation, or null before presentation
 * @param responseFromDevice  device trigger time (skew-corrected where known) to presentation, or null
 * @param takenBy             the operator who took it, or null
 * @param verificationMethod  the last verification's method, or null
 * @param verificationResult  its result, or null
 * @param falseAlarmCause     the false-alarm cause, when marked as a false alarm after forwarding, or null
 * @param forwards            every forwarding
 * @param breaches            every SLA breach
 * @param restoredAt          when its restore arrived, or null
 */
public record AlarmCase(String id, CaseState state, AlarmEvent event, Category category, int priority,
                        boolean keyCustomer, boolean drill, AccountKey account, String customerId, String siteId,
                        Transport transport, String actionPlan, Instant responseStart, List<Arrival> arrivals,
                        List<CaseTransition> transitions, Map<SlaStep, Duration> stepDurations, Duration handOff,
                        Duration responseFromReceipt, Duration responseFromDevice, String takenBy,
                        VerificationMethod verificationMethod, VerificationResult verificationResult,
                        FalseAlarmCause falseAlarmCause, List<Forward> forwards, List<SlaBreach> breaches,
                        Instant restoredAt) {
    /** Validates and copies. */
    public AlarmCase {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        arrivals = List.copyOf(arrivals);
        transitions = List.copyOf(transitions);
        stepDurations = Map.copyOf(stepDurations);
        forwards = List.copyOf(forwards);
        breaches = List.copyOf(breaches);
    }

    /** @return when the first event was received */
    public Instant receivedAt() {
        return arrivals.get(0).receivedAt();
    }

    /** @return true when it was forwarded to police */
    public boolean forwardedToPolice() {
        return forwards.stream().anyMatch(Forward::police);
    }
}
