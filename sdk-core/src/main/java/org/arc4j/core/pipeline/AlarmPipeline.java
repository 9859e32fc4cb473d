package org.arc4j.core.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.arc4j.core.codes.CodeTable;
import org.arc4j.core.customer.AccountKey;
import org.arc4j.core.customer.CustomerDirectory;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.metrics.Counter;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.pipeline.internal.ArmingSchedules;
import org.arc4j.core.pipeline.internal.CaseFile;
import org.arc4j.core.pipeline.internal.CaseOpener;
import org.arc4j.core.pipeline.internal.ClosedCases;
import org.arc4j.core.pipeline.internal.CrossLinkMerger;
import org.arc4j.core.pipeline.internal.LockedScheduler;
import org.arc4j.core.pipeline.internal.PipelineCheckpoint;
import org.arc4j.core.pipeline.internal.PipelineRecovery;
import org.arc4j.core.pipeline.internal.SlaTimers;
import org.arc4j.core.pipeline.internal.SupervisorLink;
import org.arc4j.core.pipeline.internal.TransitionJson;
import org.arc4j.core.pipeline.internal.WorkflowSteps.Step;
import org.arc4j.core.pipeline.internal.WorkflowSteps;
import org.arc4j.core.sla.ForwardChannel;
import org.arc4j.core.sla.SlaBreach;
import org.arc4j.core.sla.SlaPolicy;
import org.arc4j.core.sla.VerificationMethod;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.supervision.DeviceKey;
import org.arc4j.core.supervision.SupervisionEvent;
import org.arc4j.core.supervision.Supervisor;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;

/**
 * The alarm pipeline: turns accepted events into timed cases and walks them through GA 1383-2017's handling
 * (报警接收与处置): received → presented (报警响应) → taken → verification (报警复核) → forwarding (警情转发) →
 * dispatch (现场处置) → closed → archived.
 *
 * <p><b>What it does with an event</b> (fed by {@link #onAccepted} as an intake listener, or {@link #ingest}):
 * <ul>
 *   <li>An alarm (fire, emergency, medical, intrusion, unknown code) opens a case, or is merged into the
 *       open case of the same alarm (same receiver/line/account, code, qualifier, zone and partition, within
 *       the merge window by device time, else receipt time) that arrived over another link; the case records
 *       every arrival. The case is enriched from the {@link CustomerDirectory}, handed to the
 *       {@link OperatorQueue}, its action plan chosen and its forwarding and linkage rules applied.</li>
 *   <li>A restore (Contact ID qualifier 3, or a SIA restore code by the code table's pairs) is paired with the
 *       open case of its alarm.</li>
 *   <li>An arming or disarming (a closing or opening as the code tables say, {@code CodeTables.armingOf}: a
 *       failed or late closing is neither) updates the site's armed state and is checked against the account's
 *       open/close schedule (late to close, early to open, out of hours).</li>
 *   <li>A periodic test is reported to the {@link Supervisor} as a check-in.</li>
 *   <li>Everything else is published as a status report for statistics.</li>
 * </ul>
 *
 * <p><b>Timing.</b> Every timed step runs a timer on the {@link Scheduler}: response (from the device's
 * event time corrected by its known clock skew, else from receipt, to presentation), verification,
 * forwarding (per recipient) and guard departure, with limits from the customer's contract
 * ({@link SlaPolicy}, GA 1383 defaults). A limit is met when the step completes within it; one millisecond
 * more is a breach, published and written with the measured value and the limit. A presented case not taken
 * within the escalation delay is escalated, and again after each further delay.
 *
 * <p><b>Durability.</b> Every transition is a {@code CASE_TRANSITION} record (subject = case id, payload with
 * {@code "state"}, and {@code "police": true} on a police forward) written before the action's
 * stage completes. {@link #recover()} rebuilds open cases and their timers from the store; a deadline that
 * fell due while the centre was down is a breach marked {@link SlaBreach#duringOutage()}, and accepted alarms
 * that never became cases are taken up.
 *
 * <p><b>Memory.</b> Open cases stay in memory until closed (an acknowledged alarm is never dropped). Closed cases
 * stay for a while, at most {@link Builder#closedCasesHeld} of them (default 10,000) and each for at most
 * {@link Builder#closedCasesKept} (default 24 h); then they live only in the store, from which {@link #get} and the
 * steps still allowed after closing read them back. Archived cases leave memory at once. Indexes over cases (merging,
 * restores, the console queue) hold only cases in memory; the armed states of accounts nobody configured are
 * bounded too (10,000, the one quiet longest forgotten).
 *
 * <p><b>Drills</b> (GA 1383 演练) run the whole workflow, are marked on the case, its records, its queue entry
 * and its breaches, and are never forwarded to police.
 * *
 * <p><b>Threading model.</b> One lock, this object's monitor, guards every case and every part: each public
 * method that reads or changes state is {@code synchronized}, and the parts' timers (deadlines, escalations,
 * late-to-close checks) run on a {@link LockedScheduler} that takes the same lock, so one change at a time is in
 * progress and the parts hold no locks of their own. Listeners run under that lock, on the thread that caused
 * the change (an intake completion, a timer, an operator call); they must be quick and may call back into the
 * pipeline (the lock is re-entrant). The store completes its appends on its own thread, which never takes this
 * lock: an action's stage completes with a snapshot taken under the lock.
 *
 * <p><b>Layout.</b> This class is the facade; each concern is a part in {@code pipeline.internal}:
 * {@link CaseFile} (a case's mutable model), {@link CaseOpener} (enrichment and the response clock),
 * {@link CrossLinkMerger} (merging arrivals over several links and pairing restores), {@link ArmingSchedules}
 * (armed state and open/close schedules), {@link WorkflowSteps} (what each action allows and records),
 * {@link SlaTimers} (deadlines, breaches, escalation), {@link PipelineRecovery} (replaying the store) and
 * {@link SupervisorLink}. The file is longer than 500 lines because it is the pipeline's whole public API,
 * with its javadoc and its builder; the logic is in the parts.
 */
public final class AlarmPipeline implements AutoCloseable {
    private final RecordStore store;
    private final Scheduler scheduler;
    private Rules rules;
    private final CaseAuthorizer authorizer;
    private final OperatorQueue queue;
    private final Counter casesOpened;
    private final Counter arrivalsMerged;
    private final List<Consumer<PipelineEvent>> listeners = new CopyOnWriteArrayList<>();
    /** Every open case, and the closed ones {@link #closedCases} still holds. */
    private final Map<String, CaseFile> cases;
    private final ClosedCases closedCases;
    private final Scheduler locked;
    private Cancellable closedExpiry;
    private Instant closedExpiryAt;
    private final CaseOpener opener;
    private final CrossLinkMerger merger;
    private final ArmingSchedules arming;
    private final SupervisorLink supervision;
    private final SlaTimers timers;
    private final WorkflowSteps steps = WorkflowSteps.INSTANCE;
    private boolean closed;
    private final long checkpointEvery;
    private long sinceCheckpoint;
    /** Where the last checkpoint (or recovery) left off: events before it were all taken up by then. */
    private long lastCheckpointFrom = 1;
    private CompletableFuture<Void> lastWrite = CompletableFuture.completedFuture(null);

    private AlarmPipeline(Builder b) {
        this.store = b.store;
        this.scheduler = b.scheduler;
        this.rules = b.rules;
        this.authorizer = b.authorizer;
        this.checkpointEvery = b.checkpointEvery;
        int capacity = (int) Math.min(1 << 30, b.expectedOpenCases * 4L / 3 + 1);
        this.cases = new HashMap<>(capacity);
        this.queue = new OperatorQueue(b.expectedOpenCases);
        Metrics m = b.metrics != null ? b.metrics : new SimpleMetrics();
        this.casesOpened = m.counter("pipeline.cases");
        this.arrivalsMerged = m.counter("pipeline.arrivals", "merged", "true");
        this.closedCases = new ClosedCases(b.closedCasesHeld, b.closedCasesKept);
        Scheduler locked = new LockedScheduler(b.scheduler, this);
        this.locked = locked;
        this.opener = new CaseOpener(b.directory, b.policy, b.rules);
        this.merger = new CrossLinkMerger(capacity, b.mergeWindow, b.siaCodes);
        this.arming = new ArmingSchedules(b.directory, locked, this::publish);
        this.supervision = new SupervisorLink(b.supervisor, b.directory);
        this.timers = new SlaTimers(locked, b.escalateAfter, m, new SlaTimers.Host() {
            @Override
            public void transition(CaseFile c, CaseAction action, Map<String, String> details) {
                AlarmPipeline.this.transition(c, new Step(action, CaseActor.SYSTEM, details), null);
            }

            @Override
            public boolean inMemory(CaseFile c) {
                return cases.get(c.id()) == c;
            }

            @Override
            public void publish(PipelineEvent e) {
                AlarmPipeline.this.publish(e);
            }
        });
    }

    /**
     * A builder for a pipeline over a store and a scheduler.
     *
     * @param store     the store transitions are written to and recovered from
     * @param scheduler the scheduler for every timer
     * @return the builder
     */
    public static Builder builder(RecordStore store, Scheduler scheduler) {
        return new Builder(store, scheduler);
    }

    // ------------------------------------------------------------------ events in

    /**
     * Takes the events of a new acceptance; register with {@code StoreAlarmIntake.addListener(pipeline::onAccepted)}.
     * Duplicates (retransmissions) are ignored.
     *
     * @param accepted the receipt
     */
    public void onAccepted(Receipt.Accepted accepted) {
        if (!accepted.duplicate()) {
            List<AlarmEvent> events = accepted.events();
            for (int i = 0; i < events.size(); i++) {
                ingest(events.get(i), accepted.position(i));
            }
        }
    }

    /**
     * Takes one durable event (it must have its intake id). Its case's transitions embed it, since its store
     * position is not known here; {@link #onAccepted} references it instead.
     *
     * @param e the event
     */
    public void ingest(AlarmEvent e) {
        ingest(e, 0);
    }

    /**
     * @param e  the event
     * @param at the store position of its EVENT record, or 0 when not known
     */
    private synchronized void ingest(AlarmEvent e, long at) {
        Objects.requireNonNull(e.id(), "event without intake id");
        if (closed) {
            return;
        }
        if (merger.isRestore(e)) {
            restore(e, at);
        } else if (e.category().isAlarm()) {
            alarm(e, at);
        } else if (e.category() == Category.OPEN_CLOSE) {
            arming.onOpenClose(e, true);
            publish(new PipelineEvent.StatusReported(e));
        } else {
            if (e.category() == Category.TEST) {
                supervision.checkIn(e);
            }
            publish(new PipelineEvent.StatusReported(e));
        }
    }

    /**
     * The supervisor's key for an account: namespace {@code account}, id {@code receiver/line/account}.
     *
     * @param key the account
     * @return the device key
     */
    public static DeviceKey deviceKey(AccountKey key) {
        return SupervisorLink.deviceKey(key);
    }

    /**
     * Tells the supervisor about every account in the directory that has a check-in interval, capped at 24 h
     * (GA 1383 设备巡检: 检测时间间隔小于等于24h).
     */
    public void superviseAccounts() {
        supervision.superviseAccounts();
    }

    /**
     * Takes the supervisor's decisions about accounts (devices in the {@code account} namespace, see
     * {@link #deviceKey}) and publishes them as {@link PipelineEvent.DeviceStatusChanged} for consoles to prompt;
     * register with {@code supervisor.addListener(pipeline::onSupervisionEvent)}.
     *
     * @param e the supervision event
     */
    public synchronized void onSupervisionEvent(SupervisionEvent e) {
        if (!closed) {
            supervision.statusOf(e).ifPresent(this::publish);
        }
    }

    /**
     * Replaces the forwarding rules, linkage rules and action plans at once, for instance after an administrator
     * changed them. Cases opened afterwards get their action plan from the new rules and have the new forwarding
     * and linkage rules applied; cases already open keep the plan they were opened with and the forwards and
     * linkages already recorded for them (rules are applied only when a case opens, never again). Replaying the
     * store ({@link #recover()}) does not re-apply rules either: what a case recorded stays.
     *
     * @param v the new rules
     */
    public synchronized void rules(Rules v) {
        Objects.requireNonNull(v, "rules");
        this.rules = v;
        opener.rules(v);
    }

    private void alarm(AlarmEvent e, long at) {
        CaseFile existing = merger.mergeTarget(e);
        if (existing != null) {
            Map<String, String> d = new LinkedHashMap<>();
            d.put("eventId", e.id().toString());
            d.put("link", e.link());
            transition(existing, new Step(CaseAction.ARRIVAL, CaseActor.SYSTEM, d), e, at);
            arrivalsMerged.increment();
            return;
        }
        CaseFile c = opener.open(e, scheduler.now());
        CaseTransition t = c.lastTransition();
        register(c);
        casesOpened.increment();
        write(c, t, e, false, at);
        queue.add(c.queueEntry());
        afterChange(c, t);
        applyRules(c);
    }

    /** Forwarding and linkage rules for a new case (GA 1383 警情转发, 联动); a drill is never forwarded to police. */
    private void applyRules(CaseFile c) {
        for (ForwardingRule fr : rules.forwarding()) {
            if (fr.matches(c.category(), c.keyCustomer())) {
                if (fr.police() && c.drill()) {
                    Map<String, String> s = new LinkedHashMap<>();
                    s.put("recipient", fr.recipient());
                    transition(c, new Step(CaseAction.FORWARD_SUPPRESSED, CaseActor.rule(fr.name()), s), null);
                } else {
                    transition(c, steps.forwardByRule(c, fr.name(), fr.recipient(), fr.channel(), fr.police()),
                            null);
                }
            }
        }
        for (LinkageRule lr : rules.linkage()) {
            if (lr.matches(c.category(), c.keyCustomer())) {
                for (String action : lr.actions()) {
                    Map<String, String> s = new LinkedHashMap<>();
                    s.put("action", action);
                    transition(c, new Step(CaseAction.LINKAGE, CaseActor.rule(lr.name()), s), null);
                    publish(new PipelineEvent.LinkageRequested(c.id(), c.siteId(), lr.name(), action));
                }
            }
        }
    }

    private void restore(AlarmEvent e, long at) {
        CaseFile c = merger.restoreTarget(e);
        if (c == null) {
            publish(new PipelineEvent.StatusReported(e));
            return;
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("eventId", e.id().toString());
        d.put("code", e.code());
        transition(c, new Step(CaseAction.RESTORED, CaseActor.SYSTEM, d), e, at);
    }

    /**
     * A site's armed state, from its last arming or disarming.
     *
     * @param siteId the site id (or {@code account:receiver/line/account} for an account without a site)
     * @return true when armed, false when disarmed, empty when no arming or disarming was seen
     */
    public synchronized Optional<Boolean> armed(String siteId) {
        return arming.armed(siteId);
    }

    // ------------------------------------------------------------------ operator actions

    /**
     * A console (or another listener) confirms it has displayed the case with the sound-and-light prompt:
     * GA 1383's response (报警响应). Only the first presentation counts; later ones change nothing.
     *
     * @param caseId    the case
     * @param consoleId the console
     * @return the case, once the transition is durable
     * @throws CaseException if the case is unknown or closed
     */
    public synchronized CompletionStage<AlarmCase> present(String caseId, String consoleId) {
        CaseFile c = find(caseId);
        Optional<Step> s = steps.present(c, consoleId);
        return s.isPresent() ? transition(c, s.get(), null) : CompletableFuture.completedFuture(c.snapshot());
    }

    /**
     * An operator takes a presented case.
     *
     * @param caseId   the case
     * @param operator the operator
     * @return the case, once durable
     * @throws CaseException if unknown, not presented, already taken, closed, or not permitted
     */
    public synchronized CompletionStage<AlarmCase> take(String caseId, String operator) {
        CaseFile c = operatorCase(caseId, operator, CaseAction.TAKEN);
        return transition(c, steps.take(c, operator), null);
    }

    /**
     * An operator starts verifying (GA 1383 报警复核). Key customers must be verified by video
     * ({@link VerificationMethod#VIDEO}) before any other remote method.
     *
     * @param caseId   the case
     * @param operator the operator
     * @param method   how
     * @return the case, once durable
     * @throws CaseException if not taken by anyone, closed, not permitted, or video is required
     */
    public synchronized CompletionStage<AlarmCase> startVerification(String caseId, String operator,
                                                                     VerificationMethod method) {
        CaseFile c = operatorCase(caseId, operator, CaseAction.VERIFICATION_STARTED);
        return transition(c, steps.startVerification(c, operator, method), null);
    }

    /**
     * The result of the running verification.
     *
     * @param caseId   the case
     * @param operator the operator
     * @param result   the result
     * @param cause    for a false alarm, its cause as text (e.g. {@code pet}, {@code user error}); may be null
     * @return the case, once durable
     * @throws CaseException if no verification is running, or not permitted
     */
    public synchronized CompletionStage<AlarmCase> verify(String caseId, String operator, VerificationResult result,
                                                          String cause) {
        CaseFile c = operatorCase(caseId, operator, CaseAction.VERIFIED);
        return transition(c, steps.verify(c, operator, result, cause), null);
    }

    /**
     * An operator forwards the case (GA 1383 警情转发, manual forwarding).
     *
     * @param caseId    the case
     * @param operator  the operator
     * @param recipient who receives it
     * @param channel   the channel ({@link ForwardChannel#PHONE} for a call)
     * @param police    true when the recipient is the police
     * @return the case, once durable
     * @throws CaseException if closed, not permitted, or a drill to police
     */
    public synchronized CompletionStage<AlarmCase> forward(String caseId, String operator, String recipient,
                                                           ForwardChannel channel, boolean police) {
        CaseFile c = operatorCase(caseId, operator, CaseAction.FORWARDED);
        return transition(c, steps.forward(c, operator, recipient, channel, police), null);
    }

    /**
     * The recipient's system (or, for a phone forward, the operator) reports the forward delivered: ends the
     * forwarding step.
     *
     * @param caseId    the case
     * @param recipient the recipient
     * @param by        who reports it (an external system or the operator)
     * @return the case, once durable
     * @throws CaseException if there is no forward to that recipient or it was already delivered
     */
    public synchronized CompletionStage<AlarmCase> forwardDelivered(String caseId, String recipient, CaseActor by) {
        CaseFile c = find(caseId);
        return transition(c, steps.forwardDelivered(c, recipient, by), null);
    }

    /**
     * An operator confirms by hand that the recipient received the forward (GA 1383: 自动转发警情信息后，应立即
     * 通过人工方式确认接收方已收到). For police, this is also the manual check that police received it.
     *
     * @param caseId    the case
     * @param operator  the operator
     * @param recipient the recipient
     * @return the case, once durable
     * @throws CaseException if there is no forward to that recipient, or not permitted
     */
    public synchronized CompletionStage<AlarmCase> confirmForward(String caseId, String operator, String recipient) {
        CaseFile c = operatorCase(caseId, operator, CaseAction.FORWARD_CONFIRMED);
        return transition(c, steps.confirmForward(c, operator, recipient), null);
    }

    /**
     * An operator orders a guard to the site (GA 1383 现场处置); starts the guard departure clock.
     *
     * @param caseId   the case
     * @param operator the operator
     * @param guard    the guard or patrol
     * @return the case, once durable
     * @throws CaseException if not taken, closed, or not permitted
     */
    public synchronized CompletionStage<AlarmCase> dispatch(String caseId, String operator, String guard) {
        CaseFile c = operatorCase(caseId, operator, CaseAction.DISPATCH_ORDERED);
        return transition(c, steps.dispatch(c, operator, guard), null);
    }

    /**
     * The dispatched guard reports a step: {@link CaseAction#GUARD_DEPARTED}, {@link CaseAction#GUARD_ARRIVED},
     * {@link CaseAction#ONSITE_REPORT} (text) or {@link CaseAction#DEVICE_RESET} (text = the reset's cause).
     *
     * @param caseId the case
     * @param guard  the guard
     * @param step   the step
     * @param text   the report or the cause, may be null
     * @return the case, once durable
     * @throws CaseException if no guard was dispatched, the steps are out of order, or the reporter is not
     *                       permitted (a guard reports only on the cases dispatched to them)
     * @throws IllegalArgumentException if the step is not a guard's
     */
    public synchronized CompletionStage<AlarmCase> guardReport(String caseId, String guard, CaseAction step,
                                                               String text) {
        steps.requireGuardStep(step);
        CaseFile c = operatorCase(caseId, guard, step);
        return transition(c, steps.guardReport(c, guard, step, text), null);
    }

    /**
     * An operator relays a step the dispatched guard reported by phone or radio: the operator is the actor (the one
     * the authorizer checks and the journal names), the guard the case was dispatched to is the step's
     * {@code guard} detail. Same steps and order as {@link #guardReport}.
     *
     * @param caseId   the case
     * @param operator the operator who relays it
     * @param step     {@link CaseAction#GUARD_DEPARTED}, {@link CaseAction#GUARD_ARRIVED},
     *                 {@link CaseAction#ONSITE_REPORT} or {@link CaseAction#DEVICE_RESET}
     * @param text     the report or the cause, may be null
     * @return the case, once durable
     * @throws CaseException if no guard was dispatched, the steps are out of order, or the operator is not permitted
     * @throws IllegalArgumentException if the step is not a guard's
     */
    public synchronized CompletionStage<AlarmCase> relayGuardReport(String caseId, String operator, CaseAction step,
                                                                    String text) {
        steps.requireGuardStep(step);
        CaseFile c = operatorCase(caseId, operator, step);
        Step reported = steps.guardReport(c, operator, step, text);
        Map<String, String> details = new LinkedHashMap<>(reported.details());
        String guard = null;
        for (CaseTransition t : c.snapshot().transitions()) {
            if (t.action() == CaseAction.DISPATCH_ORDERED && t.details().get("guard") != null) {
                guard = t.details().get("guard");
            }
        }
        if (guard != null) {
            details.put("guard", guard);
        }
        return transition(c, new Step(step, CaseActor.operator(operator), details), null);
    }

    /**
     * Records that the client or the insurer was notified.
     *
     * @param caseId   the case
     * @param operator the operator
     * @param insurer  true for the insurer, false for the client
     * @param channel  how (phone, SMS, app)
     * @return the case, once durable
     * @throws CaseException if unknown or not permitted
     */
    public synchronized CompletionStage<AlarmCase> notified(String caseId, String operator, boolean insurer,
                                                            String channel) {
        CaseFile c = operatorCase(caseId, operator, steps.notification(insurer));
        return transition(c, steps.notified(operator, insurer, channel), null);
    }

    /**
     * Marks a case forwarded to police as a false alarm (警情误报) with its cause; counted by the false alarm
     * rate. Allowed after closing.
     *
     * @param caseId   the case
     * @param operator the operator
     * @param cause    centre error or equipment fault
     * @return the case, once durable
     * @throws CaseException if it was not forwarded to police, or not permitted
     */
    public synchronized CompletionStage<AlarmCase> markFalseAlarm(String caseId, String operator,
                                                                  FalseAlarmCause cause) {
        CaseFile c = operatorCase(caseId, operator, CaseAction.FALSE_ALARM_MARKED);
        return transition(c, steps.markFalseAlarm(c, operator, cause), null);
    }

    /**
     * Closes a taken case; its running timers stop.
     *
     * @param caseId   the case
     * @param operator the operator
     * @param summary  the handling result (处置结果)
     * @return the case, once durable
     * @throws CaseException if not taken, already closed, or not permitted
     */
    public synchronized CompletionStage<AlarmCase> close(String caseId, String operator, String summary) {
        CaseFile c = operatorCase(caseId, operator, CaseAction.CLOSED);
        return transition(c, steps.close(c, operator, summary), null);
    }

    /**
     * Archives a closed case (read back from the store if it already left memory); it leaves memory (it stays in
     * the store, and {@link #get} still finds it there).
     *
     * @param caseId   the case
     * @param operator the operator
     * @return the case, once durable
     * @throws CaseException if not closed, or not permitted
     */
    public synchronized CompletionStage<AlarmCase> archive(String caseId, String operator) {
        CaseFile c = operatorCase(caseId, operator, CaseAction.ARCHIVED);
        return transition(c, steps.archive(c, operator), null);
    }

    /**
     * A case to act on: in memory, or a closed case that left memory, read back from the store (under the lock: a
     * rare step after the case was closed for a while) and held again as the newest closed case.
     */
    private CaseFile find(String caseId) {
        CaseFile c = cases.get(caseId);
        if (c == null) {
            c = PipelineRecovery.readCase(store, caseId, opener::policyFor);
            if (c == null || c.state() != CaseState.CLOSED) {
                // archived cases are only read (get), never acted on
                throw new CaseException(CaseException.Reason.NOT_FOUND, caseId, "no such case open or closed");
            }
            cases.put(c.id(), c); // not into the merger: a newer case of the same alarm may be indexed there
            closedCases.add(c, scheduler.now()); // the step about to be taken trims the others (afterChange)
        }
        return c;
    }

    private CaseFile operatorCase(String caseId, String operator, CaseAction action) {
        CaseFile c = find(caseId);
        if (!authorizer.permits(operator, action, c.snapshot())) {
            throw new CaseException(CaseException.Reason.DENIED, caseId, operator + " may not " + action);
        }
        return c;
    }

    // ------------------------------------------------------------------ transitions

    private CompletionStage<AlarmCase> transition(CaseFile c, Step step, AlarmEvent event) {
        return transition(c, step, event, 0);
    }

    /** @param at the store position of the event's record (referenced, not embedded), or 0 */
    private CompletionStage<AlarmCase> transition(CaseFile c, Step step, AlarmEvent event, long at) {
        CaseState target = step.action().target();
        CaseState state = target != null && target.compareTo(c.state()) > 0 ? target : c.state();
        CaseTransition t = new CaseTransition(c.id(), step.action(), state, scheduler.now(), step.actor(),
                step.details());
        c.apply(t, event);
        CompletionStage<Long> written = write(c, t, event,
                step.action() == CaseAction.FORWARDED && "true".equals(step.details().get("police")), at);
        afterChange(c, t);
        // the snapshot is taken now, under the lock: the store completes on its own thread, which must never
        // wait for this pipeline's lock (it would hold up every other append's durability)
        AlarmCase snapshot = c.snapshot();
        return written.thenApply(p -> snapshot);
    }

    private CompletionStage<Long> write(CaseFile c, CaseTransition t, AlarmEvent event, boolean police, long at) {
        if (++sinceCheckpoint >= Math.max(checkpointEvery, cases.size() * 4L)) {
            checkpoint();
        }
        // an append issued now gets a position at or after the store's durable end
        c.written(store.nextPosition());
        NewRecord r = new NewRecord(RecordType.CASE_TRANSITION, TransitionJson.VERSION, t.at(), c.id(),
                TransitionJson.write(t, c.drill(), police, event, at));
        // a timer's records (a breach for every case no console presented in time, an escalation) are evidence
        // nobody waits on: they ride on the next alarm's force instead of calling for one each
        CompletionStage<Long> s = t.action() == CaseAction.SLA_BREACH || t.action() == CaseAction.ESCALATED
                ? store.appendUnhurried(r) : store.append(r);
        lastWrite = s.thenAccept(c::recorded).toCompletableFuture();
        return s;
    }

    /**
     * Writes a checkpoint of the open cases (a {@code CHECKPOINT} record, subject
     * {@value PipelineCheckpoint#SUBJECT}): the store positions of each open case's transitions, the sites'
     * latest openings and closings, and where recovery must start reading. {@link #recover()} then reads those
     * transitions and the tail after the checkpoint instead of the whole store. Written on its own every
     * {@code checkpointEvery} transitions (and at least four per case in memory, so its cost stays a small share)
     * and on {@link #close()}. A transition still on its way to the store lowers where recovery starts to below
     * it, so it is read back from the tail. Alarms that never became cases are looked for from the previous
     * checkpoint (or the end of recovery) on: the intake hands each accepted event over as soon as it is durable,
     * far sooner than a checkpoint interval.
     *
     * @return the checkpoint's append (its position, once durable)
     */
    public synchronized CompletionStage<Long> checkpoint() {
        long from = store.nextPosition();
        List<CaseFile> open = new ArrayList<>();
        for (CaseFile c : cases.values()) {
            long floor = c.pendingFloor();
            if (c.state().isFinal() && floor == Long.MAX_VALUE) {
                continue; // closed for good: never read back
            }
            from = Math.min(from, floor);
            open.add(c);
        }
        List<long[]> lists = new ArrayList<>();
        for (CaseFile c : open) {
            long[] p = c.positions();
            int n = 0;
            while (n < p.length && p[n] < from) {
                n++;
            }
            if (n > 0) {
                lists.add(java.util.Arrays.copyOf(p, n)); // the rest is after from: recovery reads it there
            }
        }
        sinceCheckpoint = 0;
        long eventsFrom = Math.max(1, Math.min(from, lastCheckpointFrom));
        lastCheckpointFrom = from;
        return store.append(new NewRecord(RecordType.CHECKPOINT, PipelineCheckpoint.VERSION, scheduler.now(),
                PipelineCheckpoint.SUBJECT, PipelineCheckpoint.write(from, eventsFrom, lists, arming.latestEvents())));
    }

    private void afterChange(CaseFile c, CaseTransition t) {
        switch (t.action()) {
            case TAKEN -> queue.remove(c.id());
            case CLOSED -> {
                queue.remove(c.id());
                closedCases.add(c, t.at());
            }
            case ARCHIVED -> {
                closedCases.remove(c.id());
                forget(c);
            }
            default -> {
            }
        }
        if (c.state().isFinal()) {
            leaveMemory();
        }
        timers.afterChange(c, t.action());
        if (!listeners.isEmpty()) {
            publish(new PipelineEvent.CaseChanged(c.snapshot(), t));
        }
    }

    private void register(CaseFile c) {
        cases.put(c.id(), c);
        merger.register(c);
    }

    private void forget(CaseFile c) {
        cases.remove(c.id());
        merger.forget(c);
    }

    /**
     * Drops the closed cases due to leave memory (beyond the count or the age the builder set) and keeps one timer
     * for the oldest one's age, so that a quiet centre lets them go too.
     */
    private void leaveMemory() {
        for (CaseFile c : closedCases.due(scheduler.now())) {
            forget(c);
        }
        Instant next = closedCases.nextExpiry();
        if (next == null || closed || next.equals(closedExpiryAt)) {
            return;
        }
        if (closedExpiry != null) {
            closedExpiry.cancel();
        }
        closedExpiryAt = next;
        // a case whose transitions are not durable yet is not let go: look again shortly after
        Instant at = next.isAfter(scheduler.now()) ? next : scheduler.now().plusSeconds(1);
        closedExpiry = locked.scheduleAt(at, () -> {
            closedExpiryAt = null;
            closedExpiry = null;
            if (!closed) {
                leaveMemory();
            }
        });
    }

    private void publish(PipelineEvent e) {
        for (Consumer<PipelineEvent> l : listeners) {
            l.accept(e);
        }
    }

    // ------------------------------------------------------------------ recovery

    /**
     * Rebuilds the open cases, their timers and the sites' armed states from the store, then takes up every
     * accepted alarm that never became a case. Call once, after the directory is loaded and before events flow.
     * Deadlines that fell due while the centre was down produce breaches marked
     * {@link SlaBreach#duringOutage()}. Reads the store on the calling thread.
     *
     * @return the number of open cases rebuilt
     * @throws IllegalArgumentException if a case transition in the store is malformed
     */
    public synchronized int recover() {
        PipelineRecovery.Replayed replayed = PipelineRecovery.replay(store, new PipelineRecovery.Cases() {
            @Override
            public void register(CaseFile c) {
                AlarmPipeline.this.register(c);
            }

            @Override
            public CaseFile get(String caseId) {
                return cases.get(caseId);
            }

            @Override
            public void forget(CaseFile c) {
                AlarmPipeline.this.forget(c);
            }

            @Override
            public SlaPolicy policyFor(AlarmEvent e) {
                return opener.policyFor(e);
            }
        }, merger::isRestore);
        timers.recoveredAt(scheduler.now());
        int open = 0;
        List<CaseFile> closedOnes = new ArrayList<>();
        for (CaseFile c : List.copyOf(cases.values())) {
            if (c.state().isFinal()) {
                closedOnes.add(c);
                continue;
            }
            open++;
            if (c.takenBy() == null) {
                queue.add(c.queueEntry());
            }
            timers.resume(c);
        }
        // closed cases read back (a store without a checkpoint is read whole) are held as if closed then
        closedOnes.sort(java.util.Comparator.comparing(c -> c.lastTransition().at()));
        for (CaseFile c : closedOnes) {
            closedCases.add(c, c.lastTransition().at());
        }
        leaveMemory();
        for (AlarmEvent e : replayed.openClose()) {
            arming.onOpenClose(e, false);
        }
        for (AlarmEvent e : replayed.unclaimed()) {
            ingest(e);
        }
        // every event before the end was taken up by recovery itself: the next checkpoint's events start there
        lastCheckpointFrom = replayed.end();
        return open;
    }

    // ------------------------------------------------------------------ queries

    /** @return the console queue */
    public OperatorQueue queue() {
        return queue;
    }

    /**
     * A case by id: from memory while it is open or closed recently (see {@link Builder#closedCasesHeld}), else
     * read back from the store as it is after its latest transition (a closed case that left memory, or an archived
     * one). The store is read on the calling thread, outside the pipeline's lock; with the journal or PostgreSQL
     * only the case's own stretch of the store is read (from its first event to its latest transition), with any
     * other store the whole of it.
     *
     * @param caseId the case
     * @return its snapshot, or empty when neither memory nor the store knows it
     * @throws IllegalArgumentException if one of its stored transitions is malformed
     */
    public Optional<AlarmCase> get(String caseId) {
        synchronized (this) {
            CaseFile c = cases.get(caseId);
            if (c != null) {
                return Optional.of(c.snapshot());
            }
        }
        CaseFile stored = PipelineRecovery.readCase(store, caseId, this::policyFor);
        return stored == null ? Optional.empty() : Optional.of(stored.snapshot());
    }

    private synchronized SlaPolicy policyFor(AlarmEvent e) {
        return opener.policyFor(e);
    }

    /** @return the closed cases held in memory now (see {@link Builder#closedCasesHeld}) */
    public synchronized int closedCasesHeld() {
        return closedCases.size();
    }

    /** @return snapshots of every case in memory that is not closed */
    public synchronized List<AlarmCase> openCases() {
        return cases.values().stream().filter(c -> !c.state().isFinal()).map(CaseFile::snapshot).toList();
    }

    /**
     * Registers an in-process listener (see the class comment for its thread).
     *
     * @param listener the listener
     */
    public void addListener(Consumer<PipelineEvent> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Stops every timer and ignores further events; the store is not closed. */
    @Override
    public synchronized void close() {
        if (!closed) {
            try {
                // the last transitions' positions, so the checkpoint can name them (the store's thread never
                // takes this lock, so waiting here cannot deadlock)
                lastWrite.get(5, java.util.concurrent.TimeUnit.SECONDS);
                checkpoint();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                     | RuntimeException e) {
                // a store that failed or closed: the next open replays from the previous checkpoint
            }
        }
        closed = true;
        cases.values().forEach(CaseFile::cancelTimers);
        if (closedExpiry != null) {
            closedExpiry.cancel();
        }
        arming.close();
    }

    // ------------------------------------------------------------------ builder

    /** Configures an {@link AlarmPipeline}. Not thread-safe. */
    public static final class Builder {
        private final RecordStore store;
        private final Scheduler scheduler;
        private CustomerDirectory directory;
        private SlaPolicy policy = SlaPolicy.ga1383();
        private Rules rules = Rules.NONE;
        private CaseAuthorizer authorizer;
        private Supervisor supervisor;
        private CodeTable siaCodes;
        private Duration mergeWindow = Duration.ofMinutes(2);
        private Duration escalateAfter = Duration.ofSeconds(30);
        private Metrics metrics;
        private int expectedOpenCases = 16;
        private long checkpointEvery = 100_000;
        private int closedCasesHeld = 10_000;
        private Duration closedCasesKept = Duration.ofHours(24);

        private Builder(RecordStore store, Scheduler scheduler) {
            this.store = Objects.requireNonNull(store, "store");
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        }

        /**
         * @param v transitions between two checkpoints of the open cases, at least (default 100,000; see
         *          {@link AlarmPipeline#checkpoint()})
         * @return this
         */
        public Builder checkpointEvery(long v) {
            if (v < 1) {
                throw new IllegalArgumentException("checkpointEvery must be positive");
            }
            this.checkpointEvery = v;
            return this;
        }

        /**
         * How many closed cases stay in memory, the most recently closed ones (default 10,000); the others are read
         * back from the store when asked for ({@link AlarmPipeline#get}) or acted on (archive, false alarm,
         * notification), which is slower. Cases whose last transitions are still on their way to the store stay
         * until those are durable.
         *
         * @param v the count, at least 1
         * @return this
         */
        public Builder closedCasesHeld(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("closedCasesHeld must be positive");
            }
            this.closedCasesHeld = v;
            return this;
        }

        /**
         * How long a closed case stays in memory after closing (default 24 h), within {@link #closedCasesHeld}.
         *
         * @param v the time, positive
         * @return this
         */
        public Builder closedCasesKept(Duration v) {
            if (v.isZero() || v.isNegative()) {
                throw new IllegalArgumentException("closedCasesKept must be positive");
            }
            this.closedCasesKept = v;
            return this;
        }

        /** @param v the customer directory for enrichment; without one, every account is unknown @return this */
        public Builder directory(CustomerDirectory v) {
            this.directory = v;
            return this;
        }

        /** @param v the policy for accounts without a customer contract (default GA 1383) @return this */
        public Builder policy(SlaPolicy v) {
            this.policy = Objects.requireNonNull(v, "policy");
            return this;
        }

        /** @param v forwarding, linkage rules and action plans @return this */
        public Builder rules(Rules v) {
            this.rules = Objects.requireNonNull(v, "rules");
            return this;
        }

        /** @param v the permission check (required; {@link CaseAuthorizer#ALLOW_ALL} for tests) @return this */
        public Builder authorizer(CaseAuthorizer v) {
            this.authorizer = Objects.requireNonNull(v, "authorizer");
            return this;
        }

        /** @param v the supervisor told about periodic tests @return this */
        public Builder supervisor(Supervisor v) {
            this.supervisor = v;
            return this;
        }

        /** @param v the SIA code table, for restore pairs @return this */
        public Builder siaCodes(CodeTable v) {
            this.siaCodes = v;
            return this;
        }

        /** @param v how far apart two arrivals of the same alarm may be to merge (default 2 min) @return this */
        public Builder mergeWindow(Duration v) {
            this.mergeWindow = Objects.requireNonNull(v, "mergeWindow");
            return this;
        }

        /**
         * @param v where to count cases ({@code pipeline.cases}), merged arrivals ({@code pipeline.arrivals}),
         *          breaches by step ({@code pipeline.breaches}) and time the steps ({@code pipeline.step});
         *          default a private {@link SimpleMetrics}
         * @return this
         */
        public Builder metrics(Metrics v) {
            this.metrics = v;
            return this;
        }

        /**
         * Sizes the pipeline's indexes and queue for this many cases open at once, so that they do not grow (and
         * rehash every case) while a burst of alarms arrives; they grow beyond it as needed. Default 16.
         *
         * @param v the number of open cases to size for, positive
         * @return this
         */
        public Builder expectedOpenCases(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("expectedOpenCases must be positive");
            }
            this.expectedOpenCases = v;
            return this;
        }

        /** @param v how long a presented case may wait to be taken before escalation (default 30 s) @return this */
        public Builder escalateAfter(Duration v) {
            if (v.isZero() || v.isNegative()) {
                throw new IllegalArgumentException("escalateAfter must be positive");
            }
            this.escalateAfter = v;
            return this;
        }

        /**
         * Builds the pipeline. Call {@link AlarmPipeline#recover()} before feeding it events when the store
         * is not empty.
         *
         * @return the pipeline
         * @throws NullPointerException if no authorizer was set
         */
        public AlarmPipeline build() {
            Objects.requireNonNull(authorizer, "authorizer (use CaseAuthorizer.ALLOW_ALL only in tests)");
            return new AlarmPipeline(this);
        }
    }

    /** @return every case id in memory (the open cases and the closed ones still held), for diagnostics */
    public synchronized Collection<String> caseIds() {
        return List.copyOf(cases.keySet());
    }
}
