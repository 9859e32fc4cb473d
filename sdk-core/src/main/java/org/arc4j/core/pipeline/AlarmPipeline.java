package org.arc4j.core.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.arc4j.core.codes.CodeKind;
import org.arc4j.core.codes.CodeRole;
import org.arc4j.core.codes.CodeTable;
import org.arc4j.core.codes.CodeTables;
import org.arc4j.core.customer.Account;
import org.arc4j.core.customer.AccountKey;
import org.arc4j.core.customer.CustomerDirectory;
import org.arc4j.core.customer.OpenCloseSchedule;
import org.arc4j.core.customer.Resolved;
import org.arc4j.core.customer.ScheduleViolation;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.EventId;
import org.arc4j.core.event.EventJson;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.event.Transport;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.internal.IsoInstant;
import org.arc4j.core.internal.SmallMap;
import org.arc4j.core.metrics.Counter;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.metrics.Timer;
import org.arc4j.core.pipeline.internal.TransitionJson;
import org.arc4j.core.sla.ForwardChannel;
import org.arc4j.core.sla.SlaBreach;
import org.arc4j.core.sla.SlaPolicy;
import org.arc4j.core.sla.SlaStep;
import org.arc4j.core.sla.VerificationMethod;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;
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
 *   <li>An arming or disarming updates the site's armed state and is checked against the account's
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
 * <p><b>Drills</b> (GA 1383 演练) run the whole workflow, are marked on the case, its records, its queue entry
 * and its breaches, and are never forwarded to police.
 *
 * <p>Thread-safe: all state changes are serialised on this object. Listeners run under that lock, on the
 * thread that caused the change (an intake completion, a timer, an operator call); they must be quick and may
 * call back into the pipeline.
 */
public final class AlarmPipeline implements AutoCloseable {
    private static final Duration TICK = Duration.ofMillis(1);

    private final RecordStore store;
    private final Scheduler scheduler;
    private final CustomerDirectory directory;
    private final SlaPolicy defaultPolicy;
    private final Rules rules;
    private final CaseAuthorizer authorizer;
    private final Supervisor supervisor;
    private final CodeTable siaCodes;
    private final Duration mergeWindow;
    private final Duration escalateAfter;
    private final OperatorQueue queue;
    private final Counter casesOpened;
    private final Counter arrivalsMerged;
    private final EnumMap<SlaStep, Counter> breachCounters = new EnumMap<>(SlaStep.class);
    private final EnumMap<SlaStep, Timer> stepTimers = new EnumMap<>(SlaStep.class);
    private final List<Consumer<PipelineEvent>> listeners = new CopyOnWriteArrayList<>();

    private final Map<String, CaseFile> cases;
    private final Map<MergeKey, CaseFile> byAlarm;
    private final Map<RestoreKey, CaseFile> byRestore;
    private final Map<String, ArmState> armed = new HashMap<>();
    private Instant recoveredAt;
    private boolean closed;
    private Duration lastLimit;
    private String lastLimitText;

    private record MergeKey(AccountKey account, String code, Qualifier qualifier, String zone, String partition) {
    }

    private record RestoreKey(AccountKey account, String zone, String alarmCode) {
    }

    private static final class ArmState {
        boolean armed;
        Instant since;
        boolean lateReported;
        boolean openedOutOfHours;
        Cancellable closeTimer;
    }

    private AlarmPipeline(Builder b) {
        this.store = b.store;
        this.scheduler = b.scheduler;
        this.directory = b.directory;
        this.defaultPolicy = b.policy;
        this.rules = b.rules;
        this.authorizer = b.authorizer;
        this.supervisor = b.supervisor;
        this.siaCodes = b.siaCodes;
        this.mergeWindow = b.mergeWindow;
        this.escalateAfter = b.escalateAfter;
        int capacity = (int) Math.min(1 << 30, b.expectedOpenCases * 4L / 3 + 1);
        this.cases = new HashMap<>(capacity);
        this.byAlarm = new HashMap<>(capacity);
        this.byRestore = new HashMap<>(capacity);
        this.queue = new OperatorQueue(b.expectedOpenCases);
        Metrics m = b.metrics != null ? b.metrics : new SimpleMetrics();
        this.casesOpened = m.counter("pipeline.cases");
        this.arrivalsMerged = m.counter("pipeline.arrivals", "merged", "true");
        for (SlaStep step : SlaStep.values()) {
            breachCounters.put(step, m.counter("pipeline.breaches", "step", step.name()));
            stepTimers.put(step, m.timer("pipeline.step", "step", step.name()));
        }
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
            for (AlarmEvent e : accepted.events()) {
                ingest(e);
            }
        }
    }

    /**
     * Takes one durable event (it must have its intake id).
     *
     * @param e the event
     */
    public synchronized void ingest(AlarmEvent e) {
        Objects.requireNonNull(e.id(), "event without intake id");
        if (closed) {
            return;
        }
        if (isRestore(e)) {
            restore(e);
        } else if (e.category().isAlarm()) {
            alarm(e);
        } else if (e.category() == Category.OPEN_CLOSE) {
            openClose(e, true);
            publish(new PipelineEvent.StatusReported(e));
        } else {
            if (e.category() == Category.TEST && supervisor != null) {
                supervisor.checkIn(deviceKey(AccountKey.of(e)), e.link(), e.receivedAt());
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
        return DeviceKey.of("account", key.toString());
    }

    /**
     * Tells the supervisor about every account in the directory that has a check-in interval, capped at 24 h
     * (GA 1383 设备巡检: 检测时间间隔小于等于24h).
     */
    public void superviseAccounts() {
        if (supervisor == null || directory == null) {
            return;
        }
        for (Account a : directory.accounts()) {
            if (a.checkInInterval() != null) {
                Duration d = a.checkInInterval().compareTo(Duration.ofHours(24)) > 0
                        ? Duration.ofHours(24) : a.checkInInterval();
                supervisor.expect(deviceKey(a.key()), d);
            }
        }
    }

    /**
     * Takes the supervisor's decisions about accounts (devices in the {@code account} namespace, see
     * {@link #deviceKey}) and publishes them as {@link PipelineEvent.DeviceStatusChanged} for consoles to prompt;
     * register with {@code supervisor.addListener(pipeline::onSupervisionEvent)}.
     *
     * @param e the supervision event
     */
    public synchronized void onSupervisionEvent(SupervisionEvent e) {
        if (closed || !"account".equals(e.device().namespace())) {
            return;
        }
        String[] parts = e.device().id().split("/", 3);
        if (parts.length != 3) {
            return;
        }
        AccountKey key = new AccountKey(parts[0], parts[1], parts[2]);
        Optional<Account> a = directory == null ? Optional.empty() : directory.account(key);
        Transport t = a.map(Account::transport).orElse(Transport.UNKNOWN);
        String site = a.map(Account::siteId).orElse(null);
        if (e instanceof SupervisionEvent.Offline off) {
            publish(new PipelineEvent.DeviceStatusChanged(key, site, t, false, off.at(), off.lastSeen()));
        } else if (e instanceof SupervisionEvent.Online on) {
            publish(new PipelineEvent.DeviceStatusChanged(key, site, t, true, on.at(), on.offlineSince()));
        }
    }

    private boolean isRestore(AlarmEvent e) {
        if (e.category() == Category.OPEN_CLOSE) {
            return false;
        }
        if (e.codeSystem() == CodeSystem.SIA && siaCodes != null) {
            return siaCodes.find(e.code()).map(d -> d.kind() == CodeKind.RESTORE).orElse(false);
        }
        return e.qualifier() == Qualifier.RESTORE;
    }

    private String alarmCodeOfRestore(AlarmEvent e) {
        if (e.codeSystem() == CodeSystem.SIA && siaCodes != null) {
            return siaCodes.alarmOf(e.code());
        }
        return e.code();
    }

    private void alarm(AlarmEvent e) {
        MergeKey mk = new MergeKey(AccountKey.of(e), e.code(), e.qualifier(), e.zone(), e.partition());
        CaseFile existing = byAlarm.get(mk);
        if (existing != null && !existing.state.isFinal() && sameAlarm(existing.event, e)) {
            Map<String, String> d = new LinkedHashMap<>();
            d.put("eventId", e.id().toString());
            d.put("link", e.link());
            transition(existing, CaseAction.ARRIVAL, Actor.SYSTEM, d, e);
            arrivalsMerged.increment();
            return;
        }
        Resolved r = directory == null ? null : directory.resolve(e).orElse(null);
        boolean key = r != null && r.customer().keyCustomer();
        SlaPolicy policy = r != null ? r.customer().contract() : defaultPolicy;
        Transport transport = e.transport() != Transport.UNKNOWN ? e.transport()
                : r != null ? r.account().transport() : Transport.UNKNOWN;
        Instant start = e.triggeredAt() != null && e.clockSkew() != null ? e.correctedTriggerTime() : e.receivedAt();
        Severity severity = Severity.of(e.category(), key);
        String customerId = r == null ? null : r.customer().id();
        String siteId = r == null ? null : r.site().id();
        SmallMap.Builder d = new SmallMap.Builder(11);
        d.put("eventId", e.id().toString());
        d.put("link", e.link());
        if (r != null) {
            d.put("customerId", customerId);
            d.put("siteId", siteId);
        }
        d.put("keyCustomer", Boolean.toString(key));
        d.put("transport", transport.name());
        d.put("severity", severity.name());
        String plan = rules.planFor(e.category(), severity).map(ActionPlan::name).orElse(null);
        if (plan != null) {
            d.put("actionPlan", plan);
        }
        Instant now = scheduler.now();
        Duration limit = policy.response(transport);
        d.put("responseStart", IsoInstant.toString(start));
        d.put("responseLimit", text(limit));
        String id = "C" + e.id();
        CaseTransition t = new CaseTransition(id, CaseAction.RECEIVED, CaseState.RECEIVED, now, Actor.SYSTEM,
                d.build());
        CaseFile c = new CaseFile(t, e, policy, key, customerId, siteId, transport, plan, start, now, limit);
        register(c);
        casesOpened.increment();
        write(c, t, e, false);
        queue.add(c.queueEntry());
        afterChange(c, t);
        for (ForwardingRule fr : rules.forwarding()) {
            if (fr.matches(c.category, key)) {
                if (fr.police() && c.drill) {
                    Map<String, String> s = new LinkedHashMap<>();
                    s.put("recipient", fr.recipient());
                    transition(c, CaseAction.FORWARD_SUPPRESSED, Actor.rule(fr.name()), s, null);
                } else {
                    startForward(c, Actor.rule(fr.name()), fr.recipient(), fr.channel(), fr.police(), true);
                }
            }
        }
        for (LinkageRule lr : rules.linkage()) {
            if (lr.matches(c.category, key)) {
                for (String action : lr.actions()) {
                    Map<String, String> s = new LinkedHashMap<>();
                    s.put("action", action);
                    transition(c, CaseAction.LINKAGE, Actor.rule(lr.name()), s, null);
                    publish(new PipelineEvent.LinkageRequested(c.id, c.siteId, lr.name(), action));
                }
            }
        }
    }

    /**
     * A limit's ISO-8601 text; the same few limits recur on every case, so the last one's text is kept. Called
     * under the lock.
     */
    private String text(Duration limit) {
        if (!limit.equals(lastLimit)) {
            lastLimitText = limit.toString();
            lastLimit = limit;
        }
        return lastLimitText;
    }

    private boolean sameAlarm(AlarmEvent first, AlarmEvent e) {
        Instant a = first.triggeredAt() != null && e.triggeredAt() != null ? first.triggeredAt() : first.receivedAt();
        Instant b = first.triggeredAt() != null && e.triggeredAt() != null ? e.triggeredAt() : e.receivedAt();
        return Duration.between(a, b).abs().compareTo(mergeWindow) <= 0;
    }

    private void register(CaseFile c) {
        cases.put(c.id, c);
        AlarmEvent e = c.event;
        byAlarm.put(new MergeKey(c.account, e.code(), e.qualifier(), e.zone(), e.partition()), c);
        byRestore.put(new RestoreKey(c.account, e.zone(), e.code()), c);
    }

    private void restore(AlarmEvent e) {
        CaseFile c = byRestore.get(new RestoreKey(AccountKey.of(e), e.zone(), alarmCodeOfRestore(e)));
        if (c == null || c.state == CaseState.ARCHIVED || c.restoredAt != null) {
            publish(new PipelineEvent.StatusReported(e));
            return;
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("eventId", e.id().toString());
        d.put("code", e.code());
        transition(c, CaseAction.RESTORED, Actor.SYSTEM, d, e);
    }

    private void openClose(AlarmEvent e, boolean live) {
        CodeRole role = CodeTables.armingOf(e.codeSystem(), e.code(), e.qualifier());
        if (role == CodeRole.NONE) {
            return; // e.g. a failed or late closing: reported, but the site's state is what it was
        }
        boolean arming = role == CodeRole.CLOSING;
        AccountKey key = AccountKey.of(e);
        Optional<Account> account = directory == null ? Optional.empty() : directory.account(key);
        String site = account.map(Account::siteId).orElse("account:" + key);
        ArmState s = armed.computeIfAbsent(site, k -> new ArmState());
        Instant at = e.receivedAt();
        s.armed = arming;
        s.since = at;
        if (s.closeTimer != null) {
            s.closeTimer.cancel();
            s.closeTimer = null;
        }
        OpenCloseSchedule schedule = account.map(Account::schedule).orElse(null);
        if (schedule == null) {
            return;
        }
        if (!live) {
            // replayed on recovery: no violations again, but a site still open is still expected to close
            if (!arming) {
                schedule.closeDeadline(at).ifPresent(deadline -> s.closeTimer = scheduler.scheduleAt(
                        deadline.plus(TICK), () -> lateToClose(key, site, s, at, deadline.plus(TICK))));
            }
            return;
        }
        if (arming) {
            // closing after hours is what an out-of-hours opening implies: that was reported already
            if (!s.lateReported && !s.openedOutOfHours) {
                schedule.checkArm(at).ifPresent(v -> publish(new PipelineEvent.ScheduleViolated(key, site, v, at)));
            }
            s.lateReported = false;
        } else {
            s.lateReported = false;
            Optional<ScheduleViolation> v = schedule.checkDisarm(at);
            s.openedOutOfHours = v.isPresent() && v.get() == ScheduleViolation.OUT_OF_HOURS;
            v.ifPresent(x -> publish(new PipelineEvent.ScheduleViolated(key, site, x, at)));
            schedule.closeDeadline(at).ifPresent(deadline -> s.closeTimer = scheduler.scheduleAt(deadline.plus(TICK),
                    () -> lateToClose(key, site, s, at, deadline.plus(TICK))));
        }
    }

    private synchronized void lateToClose(AccountKey key, String site, ArmState s, Instant disarmedAt,
                                          Instant deadline) {
        if (!s.armed && disarmedAt.equals(s.since) && !s.lateReported) {
            s.lateReported = true;
            publish(new PipelineEvent.ScheduleViolated(key, site, ScheduleViolation.LATE_TO_CLOSE, deadline));
        }
    }

    /**
     * A site's armed state, from its last arming or disarming.
     *
     * @param siteId the site id (or {@code account:receiver/line/account} for an account without a site)
     * @return true when armed, false when disarmed, empty when no arming or disarming was seen
     */
    public synchronized Optional<Boolean> armed(String siteId) {
        ArmState s = armed.get(siteId);
        return s == null ? Optional.empty() : Optional.of(s.armed);
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
        if (c.presentedAt != null) {
            return CompletableFuture.completedFuture(c.snapshot());
        }
        requireOpen(c);
        return transition(c, CaseAction.PRESENTED, new Actor(Actor.Kind.CONSOLE, consoleId), Map.of(), null);
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
        requireOpen(c);
        if (c.presentedAt == null) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, caseId, "no console has displayed it");
        }
        if (c.takenBy != null) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, caseId, "already taken by " + c.takenBy);
        }
        return transition(c, CaseAction.TAKEN, Actor.operator(operator), Map.of(), null);
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
        requireTaken(c);
        if (c.keyCustomer && method != VerificationMethod.VIDEO && method != VerificationMethod.GUARD
                && !c.videoTried) {
            throw new CaseException(CaseException.Reason.VIDEO_REQUIRED, caseId,
                    "key customers are verified by video (GA 1383 报警复核)");
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("method", method.name());
        c.policy.verification(method).ifPresent(l -> d.put("limit", l.toString()));
        return transition(c, CaseAction.VERIFICATION_STARTED, Actor.operator(operator), d, null);
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
        requireOpen(c);
        if (c.verificationMethod == null || c.verificationResult != null && !c.verificationRunning) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, caseId, "no verification is running");
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("result", result.name());
        if (cause != null) {
            d.put("cause", cause);
        }
        return transition(c, CaseAction.VERIFIED, Actor.operator(operator), d, null);
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
        requireOpen(c);
        if (police && c.drill) {
            throw new CaseException(CaseException.Reason.DRILL, caseId, "drills are never forwarded to police");
        }
        return startForward(c, Actor.operator(operator), recipient, channel, police, false);
    }

    private CompletionStage<AlarmCase> startForward(CaseFile c, Actor actor, String recipient, ForwardChannel channel,
                                                    boolean police, boolean automatic) {
        if (c.forward(recipient) != null) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, c.id, "already forwarded to " + recipient);
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("recipient", recipient);
        d.put("channel", channel.name());
        d.put("police", Boolean.toString(police));
        d.put("automatic", Boolean.toString(automatic));
        d.put("limit", c.policy.forwarding(channel).toString());
        return transition(c, CaseAction.FORWARDED, actor, d, null);
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
    public synchronized CompletionStage<AlarmCase> forwardDelivered(String caseId, String recipient, Actor by) {
        CaseFile c = find(caseId);
        Forward f = c.forward(recipient);
        if (f == null || f.deliveredAt() != null) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, caseId, "no pending forward to " + recipient);
        }
        return transition(c, CaseAction.FORWARD_DELIVERED, by, Map.of("recipient", recipient), null);
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
        Forward f = c.forward(recipient);
        if (f == null) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, caseId, "no forward to " + recipient);
        }
        CaseAction a = f.police() ? CaseAction.POLICE_CHECKED : CaseAction.FORWARD_CONFIRMED;
        return transition(c, a, Actor.operator(operator), Map.of("recipient", recipient), null);
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
        requireTaken(c);
        if (c.dispatchedAt != null) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, caseId, "already dispatched");
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("guard", guard);
        d.put("limit", c.policy.guardDeparture().toString());
        return transition(c, CaseAction.DISPATCH_ORDERED, Actor.operator(operator), d, null);
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
        if (step != CaseAction.GUARD_DEPARTED && step != CaseAction.GUARD_ARRIVED && step != CaseAction.ONSITE_REPORT
                && step != CaseAction.DEVICE_RESET) {
            throw new IllegalArgumentException("not a guard step: " + step);
        }
        CaseFile c = operatorCase(caseId, guard, step);
        requireOpen(c);
        boolean ok = switch (step) {
            case GUARD_DEPARTED -> c.dispatchedAt != null && c.departedAt == null;
            case GUARD_ARRIVED -> c.departedAt != null && c.arrivedAt == null;
            case ONSITE_REPORT, DEVICE_RESET -> c.arrivedAt != null;
            default -> throw new IllegalArgumentException("not a guard step: " + step);
        };
        if (!ok) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, caseId, step + " out of order");
        }
        Map<String, String> d = new LinkedHashMap<>();
        if (text != null) {
            d.put(step == CaseAction.DEVICE_RESET ? "cause" : "report", text);
        }
        return transition(c, step, new Actor(Actor.Kind.GUARD, guard), d, null);
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
        CaseAction a = insurer ? CaseAction.INSURER_NOTIFIED : CaseAction.CLIENT_NOTIFIED;
        CaseFile c = operatorCase(caseId, operator, a);
        return transition(c, a, Actor.operator(operator), Map.of("channel", channel), null);
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
        if (c.forwards == null || c.forwards.values().stream().noneMatch(Forward::police)) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, caseId, "not forwarded to police");
        }
        return transition(c, CaseAction.FALSE_ALARM_MARKED, Actor.operator(operator), Map.of("cause", cause.name()),
                null);
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
        requireTaken(c);
        return transition(c, CaseAction.CLOSED, Actor.operator(operator),
                summary == null ? Map.of() : Map.of("summary", summary), null);
    }

    /**
     * Archives a closed case; it leaves memory (it stays in the store).
     *
     * @param caseId   the case
     * @param operator the operator
     * @return the case, once durable
     * @throws CaseException if not closed, or not permitted
     */
    public synchronized CompletionStage<AlarmCase> archive(String caseId, String operator) {
        CaseFile c = operatorCase(caseId, operator, CaseAction.ARCHIVED);
        if (c.state != CaseState.CLOSED) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, caseId, "not closed");
        }
        return transition(c, CaseAction.ARCHIVED, Actor.operator(operator), Map.of(), null);
    }

    private CaseFile find(String caseId) {
        CaseFile c = cases.get(caseId);
        if (c == null) {
            throw new CaseException(CaseException.Reason.NOT_FOUND, caseId, "no such case in memory");
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

    private static void requireOpen(CaseFile c) {
        if (c.state.isFinal()) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, c.id, "case is " + c.state);
        }
    }

    private static void requireTaken(CaseFile c) {
        requireOpen(c);
        if (c.takenBy == null) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, c.id, "no operator has taken it");
        }
    }

    // ------------------------------------------------------------------ transitions, timers

    private CompletionStage<AlarmCase> transition(CaseFile c, CaseAction action, Actor actor,
                                                  Map<String, String> details, AlarmEvent event) {
        CaseState target = action.target();
        CaseState state = target != null && target.compareTo(c.state) > 0 ? target : c.state;
        CaseTransition t = new CaseTransition(c.id, action, state, scheduler.now(), actor, details);
        c.apply(t, event);
        CompletionStage<Long> written = write(c, t, event,
                action == CaseAction.FORWARDED && "true".equals(details.get("police")));
        afterChange(c, t);
        // the snapshot is taken now, under the lock: the store completes on its own thread, which must never
        // wait for this pipeline's lock (it would hold up every other append's durability)
        AlarmCase snapshot = c.snapshot();
        return written.thenApply(p -> snapshot);
    }

    private CompletionStage<Long> write(CaseFile c, CaseTransition t, AlarmEvent event, boolean police) {
        return store.append(new NewRecord(RecordType.CASE_TRANSITION, TransitionJson.VERSION, t.at(), c.id,
                TransitionJson.write(t, c.drill, police, event)));
    }

    private void afterChange(CaseFile c, CaseTransition t) {
        switch (t.action()) {
            case TAKEN, CLOSED -> queue.remove(c.id);
            case PRESENTED -> armEscalation(c, 1);
            case ARCHIVED -> forget(c);
            default -> {
            }
        }
        if (c.state.isFinal()) {
            c.cancelTimers();
        } else {
            lateCompletions(c);
            armTimers(c);
        }
        if (!listeners.isEmpty()) {
            publish(new PipelineEvent.CaseChanged(c.snapshot(), t));
        }
    }

    private void forget(CaseFile c) {
        cases.remove(c.id);
        AlarmEvent e = c.event;
        byAlarm.remove(new MergeKey(c.account, e.code(), e.qualifier(), e.zone(), e.partition()), c);
        byRestore.remove(new RestoreKey(c.account, e.zone(), e.code()), c);
    }

    private void armEscalation(CaseFile c, int level) {
        if (c.takenBy != null || c.state.isFinal()) {
            return;
        }
        Instant due = c.presentedAt.plus(escalateAfter.multipliedBy(level));
        c.escalation = scheduler.scheduleAt(due, () -> escalate(c, level));
    }

    private synchronized void escalate(CaseFile c, int level) {
        if (c.takenBy != null || c.state.isFinal() || cases.get(c.id) != c || c.escalations >= level) {
            return;
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("level", Integer.toString(level));
        d.put("waited", Duration.between(c.presentedAt, scheduler.now()).toString());
        transition(c, CaseAction.ESCALATED, Actor.SYSTEM, d, null);
        armEscalation(c, level + 1);
    }

    private void armTimers(CaseFile c) {
        for (StepClock s = c.clocks; s != null; s = s.next) {
            if (!s.done && !s.breached && s.timer == null && s.limit != null) {
                StepClock clock = s;
                Instant deadline = s.startedAt.plus(s.limit).plus(TICK);
                s.timer = scheduler.scheduleAt(deadline, () -> deadline(c, clock));
            }
        }
    }

    private synchronized void deadline(CaseFile c, StepClock s) {
        if (s.done || s.breached || cases.get(c.id) != c || c.state.isFinal() || c.clock(s.key) != s) {
            return; // completed, closed, or replaced by a restarted step (its timer may already have been due)
        }
        Instant now = scheduler.now();
        boolean outage = s.recovered && recoveredAt != null && s.startedAt.plus(s.limit).isBefore(recoveredAt);
        breach(c, s, Duration.between(s.startedAt, now), outage);
    }

    private void lateCompletions(CaseFile c) {
        for (StepClock s = c.clocks; s != null; s = s.next) {
            if (s.done && !s.recorded) {
                s.recorded = true;
                stepTimers.get(s.step).record(s.measured);
            }
            if (s.done && !s.breached && s.limit != null && s.measured.compareTo(s.limit) > 0) {
                boolean outage = s.recovered && recoveredAt != null
                        && s.startedAt.plus(s.limit).isBefore(recoveredAt);
                breach(c, s, s.measured, outage);
            }
        }
    }

    private void breach(CaseFile c, StepClock s, Duration measured, boolean outage) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("step", s.step.name());
        d.put("clock", s.key);
        d.put("startedAt", IsoInstant.toString(s.startedAt));
        d.put("limit", s.limit.toString());
        d.put("measured", measured.toString());
        d.put("duringOutage", Boolean.toString(outage));
        s.breached = true; // before the transition, so that afterChange does not breach it twice
        breachCounters.get(s.step).increment();
        transition(c, CaseAction.SLA_BREACH, Actor.SYSTEM, d, null);
        publish(new PipelineEvent.Breached(c.breaches.get(c.breaches.size() - 1)));
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
        List<AlarmEvent> events = new ArrayList<>();
        Set<EventId> claimed = new HashSet<>();
        store.replay(1, (StoredRecord r) -> {
            if (r.type() == RecordType.CASE_TRANSITION) {
                TransitionJson.Read read = TransitionJson.read(r.payload());
                CaseTransition t = read.transition();
                if (read.event() != null) {
                    claimed.add(read.event().id());
                }
                if (t.action() == CaseAction.RECEIVED) {
                    register(CaseFile.fromRecord(t, read.event(), policyFor(read.event())));
                } else {
                    CaseFile c = cases.get(t.caseId());
                    if (c != null) {
                        c.apply(t, read.event());
                        if (t.action() == CaseAction.ARCHIVED) {
                            forget(c);
                        }
                    }
                }
            } else if (r.type() == RecordType.EVENT) {
                AlarmEvent e = EventJson.fromJson(new String(r.payload(), StandardCharsets.UTF_8));
                // keep only what recovery acts on (arming state, alarms and restores that may not be cases yet):
                // a journal of a million status reports must not have to fit in the heap at once
                if (e.category() == Category.OPEN_CLOSE || e.category().isAlarm() || isRestore(e)) {
                    events.add(e);
                }
            }
        });
        recoveredAt = scheduler.now();
        int open = 0;
        for (CaseFile c : List.copyOf(cases.values())) {
            if (c.state.isFinal()) {
                continue;
            }
            open++;
            for (StepClock s = c.clocks; s != null; s = s.next) {
                s.recovered = true;
                s.recorded = s.done; // measured before the restart: not recorded in this run's metrics again
            }
            if (c.takenBy == null) {
                queue.add(c.queueEntry());
            }
            if (c.presentedAt != null && c.takenBy == null) {
                armEscalation(c, c.escalations + 1);
            }
            lateCompletions(c);
            armTimers(c);
        }
        for (AlarmEvent e : events) {
            if (e.category() == Category.OPEN_CLOSE) {
                claimed.add(e.id());
                openClose(e, false);
            }
        }
        for (AlarmEvent e : events) {
            if (!claimed.contains(e.id()) && (e.category().isAlarm() || isRestore(e))) {
                ingest(e);
            }
        }
        return open;
    }

    private SlaPolicy policyFor(AlarmEvent e) {
        if (directory == null || e == null) {
            return defaultPolicy;
        }
        return directory.resolve(e).map(r -> r.customer().contract()).orElse(defaultPolicy);
    }

    // ------------------------------------------------------------------ queries

    /** @return the console queue */
    public OperatorQueue queue() {
        return queue;
    }

    /**
     * A case by id, while it is in memory (until archived).
     *
     * @param caseId the case
     * @return its snapshot
     */
    public synchronized Optional<AlarmCase> get(String caseId) {
        CaseFile c = cases.get(caseId);
        return c == null ? Optional.empty() : Optional.of(c.snapshot());
    }

    /** @return snapshots of every case in memory that is not closed */
    public synchronized List<AlarmCase> openCases() {
        return cases.values().stream().filter(c -> !c.state.isFinal()).map(CaseFile::snapshot).toList();
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
        closed = true;
        cases.values().forEach(CaseFile::cancelTimers);
        armed.values().forEach(s -> {
            if (s.closeTimer != null) {
                s.closeTimer.cancel();
            }
        });
    }

    // ------------------------------------------------------------------ case file

    /** The running clock of one timed step. */
    private static final class StepClock {
        final SlaStep step;
        final String key;
        final Instant startedAt;
        final Duration limit;
        Cancellable timer;
        /** The case's next clock. */
        StepClock next;
        boolean done;
        boolean breached;
        boolean recovered;
        boolean recorded;
        Duration measured;

        StepClock(SlaStep step, String key, Instant startedAt, Duration limit) {
            this.step = step;
            this.key = key;
            this.startedAt = startedAt;
            this.limit = limit;
        }

        /** Cancels its deadline: the step was restarted and this clock no longer counts. */
        void stop() {
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    /** The mutable state of one case, changed only by {@link #apply} under the pipeline's lock. */
    private static final class CaseFile {
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

        private CaseFile(CaseTransition t, AlarmEvent e, SlaPolicy policy, boolean keyCustomer, String customerId,
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

        /** A case from its RECEIVED transition as read back from the store. */
        static CaseFile fromRecord(CaseTransition t, AlarmEvent e, SlaPolicy policy) {
            Map<String, String> d = t.details();
            Transport transport = Transport.valueOf(d.getOrDefault("transport", e.transport().name()));
            Duration limit = d.containsKey("responseLimit") ? Duration.parse(d.get("responseLimit"))
                    : policy.response(transport);
            return new CaseFile(t, e, policy, Boolean.parseBoolean(d.get("keyCustomer")), d.get("customerId"),
                    d.get("siteId"), transport, d.get("actionPlan"), Instant.parse(d.get("responseStart")),
                    d.containsKey("handedOffAt") ? Instant.parse(d.get("handedOffAt")) : t.at(), limit);
        }

        OperatorQueue.Entry queueEntry() {
            return new OperatorQueue.Entry(id, category.priority(), keyCustomer, responseStart, drill);
        }

        void apply(CaseTransition t, AlarmEvent e) {
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
                    Duration limit = d.containsKey("limit") ? Duration.parse(d.get("limit")) : null;
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
                    putClock(new StepClock(SlaStep.FORWARDING, key, at, Duration.parse(d.get("limit"))));
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
                            Duration.parse(d.get("limit"))));
                }
                case GUARD_DEPARTED -> {
                    departedAt = at;
                    complete("GUARD_DEPARTURE", at);
                }
                case GUARD_ARRIVED -> arrivedAt = at;
                case RESTORED -> restoredAt = at;
                case FALSE_ALARM_MARKED -> falseAlarmCause = FalseAlarmCause.valueOf(d.get("cause"));
                case SLA_BREACH -> {
                    StepClock s = clock(d.get("clock"));
                    if (s != null) {
                        s.breached = true;
                    }
                    if (breaches == null) {
                        breaches = new ArrayList<>(2);
                    }
                    breaches.add(new SlaBreach(id, SlaStep.valueOf(d.get("step")), Instant.parse(d.get("startedAt")),
                            Duration.parse(d.get("limit")), Duration.parse(d.get("measured")), at,
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

        /** @return the forwarding to a recipient, or null */
        Forward forward(String recipient) {
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
        static Duration elapsed(Instant start, Instant end) {
            Duration d = Duration.between(start, end);
            return d.isNegative() ? Duration.ZERO : d;
        }

        void cancelTimers() {
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

        AlarmCase snapshot() {
            return new AlarmCase(id, state, event, category, category.priority(), keyCustomer, drill, account,
                    customerId, siteId, transport, actionPlan, responseStart, arrivals(), transitions,
                    durations == null ? Map.of() : durations, elapsed(event.receivedAt(), handedOffAt),
                    responseFromReceipt, responseFromDevice, takenBy,
                    verificationMethod, verificationResult, falseAlarmCause,
                    forwards == null ? List.of() : List.copyOf(forwards.values()),
                    breaches == null ? List.of() : breaches, restoredAt);
        }
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

        private Builder(RecordStore store, Scheduler scheduler) {
            this.store = Objects.requireNonNull(store, "store");
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
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

    /** @return every case id in memory, for diagnostics */
    public synchronized Collection<String> caseIds() {
        return List.copyOf(cases.keySet());
    }
}
