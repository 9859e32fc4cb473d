package org.arc4j.core.pipeline.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arc4j.core.customer.AccountKey;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.Transport;
import org.arc4j.core.internal.IsoDuration;
import org.arc4j.core.internal.IsoInstant;
import org.arc4j.core.pipeline.AlarmCase;
import org.arc4j.core.pipeline.Arrival;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseState;
import org.arc4j.core.pipeline.CaseTransition;
import org.arc4j.core.pipeline.FalseAlarmCause;
import org.arc4j.core.pipeline.Forward;
import org.arc4j.core.pipeline.OperatorQueue;
import org.arc4j.core.pipeline.VerificationResult;
import org.arc4j.core.sla.ForwardChannel;
import org.arc4j.core.sla.SlaBreach;
import org.arc4j.core.sla.SlaPolicy;
import org.arc4j.core.sla.SlaStep;
import org.arc4j.core.sla.VerificationMethod;
import org.arc4j.core.time.Cancellable;

/**
 * The mutable state of one alarm case, the model the pipeline's parts share: what the first event was, who the
 * customer is, every transition so far, the running {@link StepClock}s and what the steps measured. It changes
 * only through {@link #apply}, which every transition goes through, live or replayed from the store, so that a
 * recovered case is the same as the one before the restart.
 *
 * <p>Not thread-safe: used only under the pipeline's lock. {@link #snapshot()} gives the immutable
 * {@link AlarmCase} that leaves the lock.
 */
public final class CaseFile {
    final String id;
    final AlarmEvent event;
    final Category category;
    final boolean keyCustomer;
    final boolean drill;
    final AccountKey account;
    final String customerId;
    final String siteId;
    final Transport transport;
    final String actionPlan;
    final Instant responseStart;
    SlaPolicy policy;
    CaseState state = CaseState.RECEIVED;
    // Collections are small and mostly empty while a case waits for an operator: sized for that, and made
    // only when first needed, since every open case holds them and a burst holds many open cases.
    /** The arrivals after the first (which is the event's own), made on the first merge. */
    List<Arrival> laterArrivals;
    final List<CaseTransition> transitions = new ArrayList<>(4);
    /** The timed steps in the order they started, linked through {@link StepClock#next}; a handful. */
    StepClock clocks;
    EnumMap<SlaStep, Duration> durations;
    /** When the case was handed to the queue: the hand-off ends there (GA 1383's response is presentation). */
    final Instant handedOffAt;
    Instant presentedAt;
    Duration responseFromReceipt;
    Duration responseFromDevice;
    String takenBy;
    int escalations;
    Cancellable escalation;
    VerificationMethod verificationMethod;
    VerificationResult verificationResult;
    boolean verificationRunning;
    boolean videoTried;
    FalseAlarmCause falseAlarmCause;
    Map<String, Forward> forwards;
    Instant dispatchedAt;
    Instant departedAt;
    Instant arrivedAt;
    Instant restoredAt;
    List<SlaBreach> breaches;

    /**
     * A case opened now from its first event.
     *
     * @param t             its RECEIVED transition (the case id is its subject)
     * @param e             the first event
     * @param policy        the customer's limits
     * @param keyCustomer   true for a key customer
     * @param customerId    the customer, or null
     * @param siteId        the site, or null
     * @param transport     the transport whose response limit applies
     * @param actionPlan    the action plan's name, or null
     * @param responseStart when the response clock starts
     * @param handedOffAt   when the case reached the operator queue
     * @param responseLimit the response limit
     */
    public CaseFile(CaseTransition t, AlarmEvent e, SlaPolicy policy, boolean keyCustomer, String customerId,
                     String siteId, Transport transport, String actionPlan, Instant responseStart,
                     Instant handedOffAt, Duration responseLimit) {
        this.id = t.caseId();
        this.event = e;
        this.category = e.category();
        this.keyCustomer = keyCustomer;
        this.drill = e.drill();
        this.account = AccountKey.of(e);
        this.customerId = customerId;
        this.siteId = siteId;
        this.transport = transport;
        this.actionPlan = actionPlan;
        this.responseStart = responseStart;
        this.policy = policy;
        this.transitions.add(t);
        this.handedOffAt = handedOffAt;
        clocks = new StepClock(SlaStep.RESPONSE, "RESPONSE", responseStart, responseLimit);
    }

    /**
     * A case from its RECEIVED transition as read back from the store.
     *
     * @param t      the transition
     * @param e      the first event
     * @param policy the limits for its customer now
     * @return the case, with only that transition applied
     */
    public static CaseFile fromRecord(CaseTransition t, AlarmEvent e, SlaPolicy policy) {
        Map<String, String> d = t.details();
        Transport transport = Transport.valueOf(d.getOrDefault("transport", e.transport().name()));
        Duration limit = d.containsKey("responseLimit") ? IsoDuration.parse(d.get("responseLimit"))
                : policy.response(transport);
        return new CaseFile(t, e, policy, Boolean.parseBoolean(d.get("keyCustomer")), d.get("customerId"),
                d.get("siteId"), transport, d.get("actionPlan"), IsoInstant.parse(d.get("responseStart")),
                d.containsKey("handedOffAt") ? IsoInstant.parse(d.get("handedOffAt")) : t.at(), limit);
    }

    // the store positions of the case's transitions, for the pipeline's checkpoint: written counts the appends
    // (under the pipeline's lock), recorded the positions their completions reported (on the store's thread)
    private int written;
    private final Object recordedLock = new Object();
    private long[] recorded = new long[4];
    private int recordedCount;

    private long pendingFloor = Long.MAX_VALUE;

    /**
     * A transition of the case is handed to the store (under the pipeline's lock).
     *
     * @param floor a position at or below the one this append will get: the store's durable end when it is
     *              issued
     */
    public void written(long floor) {
        synchronized (recordedLock) {
            if (recordedCount == written) {
                pendingFloor = floor;
            }
            written++;
        }
    }

    /**
     * The store made one of its transitions durable (on the store's thread).
     *
     * @param position its position
     */
    public void recorded(long position) {
        synchronized (recordedLock) {
            if (recordedCount == recorded.length) {
                recorded = java.util.Arrays.copyOf(recorded, recordedCount * 2);
            }
            recorded[recordedCount++] = position;
            if (recordedCount == written) {
                pendingFloor = Long.MAX_VALUE;
            }
        }
    }

    /**
     * @return the positions its durable transitions reported, ascending (a store completes appends in order)
     */
    public long[] positions() {
        synchronized (recordedLock) {
            return java.util.Arrays.copyOf(recorded, recordedCount);
        }
    }

    /** @return a position below each of its transitions whose position is not known yet, else Long.MAX_VALUE */
    public long pendingFloor() {
        synchronized (recordedLock) {
            return recordedCount == written ? Long.MAX_VALUE : pendingFloor;
        }
    }

    /** @return its entry in the operator queue */
    public OperatorQueue.Entry queueEntry() {
        return new OperatorQueue.Entry(id, category.priority(), keyCustomer, responseStart, drill);
    }

    /**
     * Applies a transition: records it, moves the state, and updates what the action changes (clocks, forwards,
     * times).
     *
     * @param t the transition
     * @param e the event it carries (an arrival or restore), or null
     */
    public void apply(CaseTransition t, AlarmEvent e) {
        Map<String, String> d = t.details();
        Instant at = t.at();
        transitions.add(t);
        state = t.state();
        switch (t.action()) {
            case ARRIVAL -> {
                if (laterArrivals == null) {
                    laterArrivals = new ArrayList<>(2);
                }
                laterArrivals.add(arrival(e));
            }
            case PRESENTED -> {
                presentedAt = at;
                responseFromReceipt = elapsed(event.receivedAt(), at);
                if (event.triggeredAt() != null) {
                    responseFromDevice = elapsed(event.correctedTriggerTime(), at);
                }
                complete("RESPONSE", at);
            }
            case TAKEN -> takenBy = t.actor().id();
            case ESCALATED -> escalations = Integer.parseInt(d.getOrDefault("level", "1"));
            case VERIFICATION_STARTED -> {
                verificationMethod = VerificationMethod.valueOf(d.get("method"));
                verificationResult = null;
                verificationRunning = true;
                if (verificationMethod == VerificationMethod.VIDEO) {
                    videoTried = true;
                }
                Duration limit = d.containsKey("limit") ? IsoDuration.parse(d.get("limit")) : null;
                // a new verification restarts its clock: the old one leaves, the new one goes last
                removeClock("VERIFICATION");
                putClock(new StepClock(SlaStep.VERIFICATION, "VERIFICATION", at, limit));
            }
            case VERIFIED -> {
                verificationResult = VerificationResult.valueOf(d.get("result"));
                verificationRunning = false;
                complete("VERIFICATION", at);
            }
            case FORWARDED -> {
                String r = d.get("recipient");
                ForwardChannel ch = ForwardChannel.valueOf(d.get("channel"));
                if (forwards == null) {
                    forwards = new LinkedHashMap<>();
                }
                forwards.put(r, new Forward(r, ch, Boolean.parseBoolean(d.get("police")),
                        Boolean.parseBoolean(d.get("automatic")), at, null, null, null));
                String key = "FORWARDING:" + r;
                putClock(new StepClock(SlaStep.FORWARDING, key, at, IsoDuration.parse(d.get("limit"))));
            }
            case FORWARD_DELIVERED -> {
                Forward f = forwards.get(d.get("recipient"));
                forwards.put(f.recipient(), new Forward(f.recipient(), f.channel(), f.police(), f.automatic(),
                        f.startedAt(), at, f.confirmedAt(), f.checkedAt()));
                complete("FORWARDING:" + f.recipient(), at);
            }
            case FORWARD_CONFIRMED, POLICE_CHECKED -> {
                Forward f = forwards.get(d.get("recipient"));
                boolean check = t.action() == CaseAction.POLICE_CHECKED;
                forwards.put(f.recipient(), new Forward(f.recipient(), f.channel(), f.police(), f.automatic(),
                        f.startedAt(), f.deliveredAt(), at, check ? at : f.checkedAt()));
            }
            case DISPATCH_ORDERED -> {
                dispatchedAt = at;
                putClock(new StepClock(SlaStep.GUARD_DEPARTURE, "GUARD_DEPARTURE", at,
                        IsoDuration.parse(d.get("limit"))));
            }
            case GUARD_DEPARTED -> {
                departedAt = at;
                complete("GUARD_DEPARTURE", at);
            }
            case GUARD_ARRIVED -> arrivedAt = at;
            case RESTORED -> restoredAt = at;
            case FALSE_ALARM_MARKED -> falseAlarmCause = FalseAlarmCause.valueOf(d.get("cause"));
            case SLA_BREACH -> {
                // the clock is written only when it is not the step's own (RESPONSE, VERIFICATION, ...)
                String key = d.get("clock");
                StepClock s = clock(key != null ? key : d.get("step"));
                if (s != null) {
                    s.breached = true;
                }
                if (breaches == null) {
                    breaches = new ArrayList<>(2);
                }
                // read without DateTimeFormatter and regex: every breach made live is applied through here
                breaches.add(new SlaBreach(id, SlaStep.valueOf(d.get("step")),
                        IsoInstant.parse(d.get("startedAt")), IsoDuration.parse(d.get("limit")),
                        IsoDuration.parse(d.get("measured")), at,
                        Boolean.parseBoolean(d.get("duringOutage")), drill));
            }
            default -> {
            }
        }
    }

    /** @return the running or finished clock of a step, or null */
    StepClock clock(String key) {
        for (StepClock s = clocks; s != null; s = s.next) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        return null;
    }

    /** Adds a clock, or replaces the one of the same key in its place. */
    private void putClock(StepClock s) {
        StepClock previous = null;
        for (StepClock c = clocks; c != null; previous = c, c = c.next) {
            if (c.key.equals(s.key)) {
                c.stop();
                s.next = c.next;
                if (previous == null) {
                    clocks = s;
                } else {
                    previous.next = s;
                }
                return;
            }
        }
        if (previous == null) {
            clocks = s;
        } else {
            previous.next = s;
        }
    }

    private void removeClock(String key) {
        StepClock previous = null;
        for (StepClock c = clocks; c != null; previous = c, c = c.next) {
            if (c.key.equals(key)) {
                c.stop();
                if (previous == null) {
                    clocks = c.next;
                } else {
                    previous.next = c.next;
                }
                return;
            }
        }
    }

    /**
     * @param recipient a recipient
     * @return the forwarding to it, or null
     */
    public Forward forward(String recipient) {
        return forwards == null ? null : forwards.get(recipient);
    }

    private void complete(String key, Instant at) {
        StepClock s = clock(key);
        if (s == null || s.done) {
            return;
        }
        s.done = true;
        s.measured = elapsed(s.startedAt, at);
        if (s.timer != null) {
            s.timer.cancel();
        }
        if (durations == null) {
            durations = new EnumMap<>(SlaStep.class);
        }
        durations.merge(s.step, s.measured, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }

    /**
     * The time from a start to a completion, never negative: a device's corrected trigger time may fall after
     * the completion (a skew learnt late, a clock that jumped), and a step cannot take less than nothing;
     * metrics refuse negative durations and must never throw inside the pipeline (issue 15 item 6).
     */
    public static Duration elapsed(Instant start, Instant end) {
        Duration d = Duration.between(start, end);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** Cancels every running deadline and the escalation: the case is final or the pipeline closes. */
    public void cancelTimers() {
        for (StepClock s = clocks; s != null; s = s.next) {
            if (s.timer != null) {
                s.timer.cancel();
            }
        }
        if (escalation != null) {
            escalation.cancel();
        }
    }

    private static Arrival arrival(AlarmEvent e) {
        return new Arrival(e.id(), e.link(), e.receivedAt(), e.triggeredAt());
    }

    private List<Arrival> arrivals() {
        if (laterArrivals == null) {
            return List.of(arrival(event));
        }
        List<Arrival> all = new ArrayList<>(laterArrivals.size() + 1);
        all.add(arrival(event));
        all.addAll(laterArrivals);
        return all;
    }

    /** @return the case id */
    public String id() {
        return id;
    }

    /** @return the first event */
    public AlarmEvent event() {
        return event;
    }

    /** @return its state */
    public CaseState state() {
        return state;
    }

    /** @return its category */
    public Category category() {
        return category;
    }

    /** @return true for a key customer */
    public boolean keyCustomer() {
        return keyCustomer;
    }

    /** @return true for a drill */
    public boolean drill() {
        return drill;
    }

    /** @return the site, or null */
    public String siteId() {
        return siteId;
    }

    /** @return when a console first displayed it, or null */
    public Instant presentedAt() {
        return presentedAt;
    }

    /** @return the operator who took it, or null */
    public String takenBy() {
        return takenBy;
    }

    /** @return its latest transition */
    public CaseTransition lastTransition() {
        return transitions.get(transitions.size() - 1);
    }

    /** @return an immutable snapshot of the case now */
    public AlarmCase snapshot() {
        return new AlarmCase(id, state, event, category, category.priority(), keyCustomer, drill, account,
                customerId, siteId, transport, actionPlan, responseStart, arrivals(), transitions,
                durations == null ? Map.of() : durations, elapsed(event.receivedAt(), handedOffAt),
                responseFromReceipt, responseFromDevice, takenBy,
                verificationMethod, verificationResult, falseAlarmCause,
                forwards == null ? List.of() : List.copyOf(forwards.values()),
                breaches == null ? List.of() : breaches, restoredAt);
    }
}
