package org.arc4j.core.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.arc4j.core.codes.CodeTables;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.EventJson;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseTransition;
import org.arc4j.core.pipeline.PipelineEvent;
import org.arc4j.core.pipeline.internal.TransitionJson;
import org.arc4j.core.stats.internal.QuarterHourCounts;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;
import org.arc4j.core.supervision.SupervisionEvent;

/**
 * The inputs of GA 1383-2017's service quality statistics (服务质量; 运行维护) and the reports computed from
 * them for any period.
 *
 * <p>Inputs come two ways. From the pipeline and the supervisor, by registering {@link #onPipelineEvent} and
 * {@link #onSupervisionEvent} as listeners: police forwards, false-alarm marks (警情误报 with cause), alarm cases
 * by category, false verifications with their cause, fault and low-battery reports, missed periodic reports.
 * And by hand: {@link #recordMissedAlarm missed alarms} (警情漏报), {@link #openFault fault tickets} and their
 * {@link #closeFault repair}, {@link #recordSatisfaction satisfaction scores}. Drills are never counted.
 *
 * <p><b>Bounded.</b> Alarms, forwards, false alarms, fault and low-battery reports, missed reports and satisfaction
 * scores are counted per quarter hour (by category or cause where a report needs it), so a report over a period
 * counts the quarter hours that start within it: exact for days, months and years. Everything is held for
 * {@link #RETAINED} behind the newest time the ledger saw from the centre's clock (a transition, a receipt, a
 * supervision decision), then forgotten; fault tickets still open are kept until repaired.
 *
 * <p>Kept in memory and, when {@link #open opened over a store}, rebuilt from it after a restart: a manual input
 * is written to the store first and counted only once durable (its stage completes then), so what a report said
 * before a crash it says after the restart. Thread-safe (state changes are synchronized on the ledger; a manual
 * input is counted on the store's completion thread, under the same short lock).
 */
public final class QualityLedger {
    private record Dated(Instant at, String label) {
    }

    /**
     * How long the ledger holds what it counted, behind the newest time it saw: a year's statistics (GA 1383
     * 服务质量 is per year) and a month to spare. Older quarter hours, missed alarms and repaired fault tickets
     * are forgotten (the store may still hold their records, by its own retention).
     */
    public static final Duration RETAINED = Duration.ofDays(400);

    // alarms, forwards, faults and reports are counted per quarter hour (labelled by category or cause), never
    // kept one by one: memory grows with the days held, not with the traffic
    private final QuarterHourCounts policeForwards = new QuarterHourCounts();
    private final QuarterHourCounts falseAlarms = new QuarterHourCounts();
    private final QuarterHourCounts alarms = new QuarterHourCounts();
    private final QuarterHourCounts falseCauses = new QuarterHourCounts();
    private final QuarterHourCounts faultReports = new QuarterHourCounts();
    private final QuarterHourCounts lowBattery = new QuarterHourCounts();
    private final QuarterHourCounts missedReports = new QuarterHourCounts();
    private final QuarterHourCounts satisfaction = new QuarterHourCounts();
    private final List<QuarterHourCounts> series = List.of(policeForwards, falseAlarms, alarms, falseCauses,
            faultReports, lowBattery, missedReports, satisfaction);
    /** Manual inputs, each with its description: rare (the target is none a year). */
    private final List<Dated> missed = new ArrayList<>();
    private final Map<String, FaultTicket> tickets = new LinkedHashMap<>();
    /** Tickets whose opening or closing is on its way to the store: a second one must not race it. */
    private final Set<String> pending = new HashSet<>();
    /** The newest time seen from the centre's own clock (transitions, receipts, supervision), or null. */
    private Instant newest;
    /** The epoch day of the last pruning. */
    private long prunedDay = Long.MIN_VALUE;

    private final RecordStore store;
    private final Clock clock;

    /** An empty ledger in memory only: manual inputs are not written anywhere (for tests and experiments). */
    public QualityLedger() {
        this.store = null;
        this.clock = null;
    }

    private QualityLedger(RecordStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A ledger over a store: rebuilt by replaying it (on the calling thread) — case transitions, events,
     * supervision decisions and the ledger's own records — and writing every manual input (missed alarm, fault
     * ticket, satisfaction score) as an {@link RecordType#OPERATOR_ACTION OPERATOR_ACTION} record with subject
     * {@code quality} and payload {@code {"v":1,"kind":..,...}}, so a year's statistics survive restarts.
     * Transitions are read through the pipeline's {@code TransitionJson}; a RECEIVED transition that references its
     * event instead of carrying it takes the category from that event's EVENT record (read before it).
     * Open it before the pipeline recovers (what recovery writes is then counted once, live), then register the
     * live listeners. Only what the store still holds is counted: records past their retention are gone.
     *
     * @param store the store
     * @param clock the clock for the records it writes
     * @return the ledger
     * @throws IllegalArgumentException if a record it reads is malformed
     */
    public static QualityLedger open(RecordStore store, Clock clock) {
        QualityLedger l = new QualityLedger(store, clock);
        l.replay(Long.MAX_VALUE, false);
        return l;
    }

    /**
     * {@link #open} without waiting for the replay: it runs on a thread of its own ({@code arc4j-quality-replay})
     * over the records before the store's end at this call, so that a centre's receivers start however long the
     * history. Open it, like {@link #open}, before the pipeline recovers and register the listeners at once:
     * what they report is after that end and is counted live, while the replay fills in what came before (the two
     * never count the same record). Reports, queries and manual inputs wait until the replay is done; the
     * listeners never wait. A malformed record stops the replay: it is logged, and reports then fail with an
     * {@link IllegalStateException} naming it.
     *
     * @param store the store
     * @param clock the clock for the records it writes
     * @return the ledger, rebuilding
     */
    public static QualityLedger openInBackground(RecordStore store, Clock clock) {
        QualityLedger l = new QualityLedger(store, clock);
        long end = store.nextPosition();
        synchronized (l) {
            l.replaying = true;
        }
        Thread t = new Thread(() -> {
            RuntimeException failed = null;
            try {
                l.replay(end, true);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(QualityLedger.class).error(
                        "the quality ledger's replay failed; its reports fail until the centre restarts", e);
                failed = e;
            }
            synchronized (l) {
                l.replayFailure = failed;
                l.replaying = false;
                l.notifyAll();
            }
        }, "arc4j-quality-replay");
        t.setDaemon(true);
        t.start();
        return l;
    }

    /** Set while a background replay runs; reports wait for it ({@link #awaitReplayed}). */
    private boolean replaying;
    private RuntimeException replayFailure;

    /** Waits (releasing the ledger's lock) while a background replay runs; called under the lock. */
    private void awaitReplayed() {
        while (replaying) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the quality ledger is rebuilt", e);
            }
        }
        if (replayFailure != null) {
            throw new IllegalStateException("the quality ledger's replay failed", replayFailure);
        }
    }

    /** Stops a replay at its end. */
    private static final class Passed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Passed() {
            super(null, null, false, false);
        }
    }

    /**
     * Replays the store's records before {@code end}.
     *
     * @param end    the first position not replayed
     * @param locked whether to apply each record under the ledger's lock (live listeners run beside it)
     */
    private void replay(long end, boolean locked) {
        QualityLedger l = this;
        // the categories of alarm events not yet claimed by a case, for a RECEIVED transition that references its
        // event instead of carrying it; bounded, since an event merged into another case is never claimed
        Map<String, Category> unclaimed = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Category> eldest) {
                return size() > UNCLAIMED;
            }
        };
        java.util.function.Consumer<StoredRecord> apply = (StoredRecord r) -> {
            switch (r.type()) {
                case CASE_TRANSITION -> {
                    TransitionJson.Read read = TransitionJson.read(r.payload());
                    CaseTransition t = read.transition();
                    Category category = read.event() != null ? read.event().category() : null;
                    if (t.action() == CaseAction.RECEIVED) {
                        // the pipeline names a case after the event that opened it: "C" + the event's id
                        Category referenced = unclaimed.remove(t.caseId().substring(1));
                        category = category != null ? category : referenced;
                    }
                    l.transition(t, read.drill(), category);
                }
                case EVENT -> {
                    AlarmEvent e = EventJson.fromJson(new String(r.payload(), StandardCharsets.UTF_8));
                    if (e.category().isAlarm() && e.id() != null) {
                        unclaimed.put(e.id().toString(), e.category());
                    }
                    l.status(e);
                }
                case SUPERVISION -> {
                    JsonNode n = parse(r);
                    if ("OFFLINE".equals(n.path("event").asText())) {
                        l.missedReport(Instant.parse(n.path("at").asText()));
                    }
                }
                case OPERATOR_ACTION -> {
                    if (SUBJECT.equals(r.subject())) {
                        l.apply(parse(r));
                    }
                }
                default -> {
                }
            }
        };
        try {
            store.replay(1, REPLAYED, r -> {
                if (r.position() >= end) {
                    throw new Passed();
                }
                if (locked) {
                    synchronized (l) {
                        apply.accept(r);
                    }
                } else {
                    apply.accept(r);
                }
            });
        } catch (Passed done) {
            // what follows is counted live
        }
    }

    private static final String SUBJECT = "quality";
    /** Alarm events remembered during a replay until their case's RECEIVED transition names them. */
    private static final int UNCLAIMED = 65_536;
    private static final Set<RecordType> REPLAYED = Set.of(RecordType.CASE_TRANSITION, RecordType.EVENT,
            RecordType.SUPERVISION, RecordType.OPERATOR_ACTION);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode parse(StoredRecord r) {
        try {
            return JSON.readTree(r.payload());
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed " + r.type() + " record at " + r.position(), e);
        }
    }

    /** Applies a manual input, live or replayed. */
    private void apply(JsonNode n) {
        Instant at = Instant.parse(n.path("at").asText());
        switch (n.path("kind").asText()) {
            case "missedAlarm" -> missed.add(new Dated(at, n.path("description").asText()));
            case "faultOpened" -> tickets.put(n.path("id").asText(), new FaultTicket(n.path("id").asText(), at,
                    n.path("classification").asText(), n.path("platform").asBoolean(), null));
            case "faultClosed" -> {
                FaultTicket t = tickets.get(n.path("id").asText());
                tickets.put(t.id(), new FaultTicket(t.id(), t.openedAt(), t.classification(), t.platform(), at));
            }
            case "satisfaction" -> satisfaction.add(at, "", n.path("score").asDouble());
            default -> throw new IllegalArgumentException("unknown quality input " + n.path("kind"));
        }
    }

    /**
     * Counts a manual input: at once in memory only; over a store once its record is durable, so that nothing is
     * counted that a crash could take back. Called under the ledger's lock.
     *
     * @param n      the input
     * @param ticket the fault ticket it opens or closes, held {@link #pending} until then, or null
     */
    private CompletionStage<Void> input(ObjectNode n, String ticket) {
        if (store == null) {
            apply(n);
            return CompletableFuture.completedFuture(null);
        }
        if (ticket != null) {
            pending.add(ticket);
        }
        CompletionStage<Long> written;
        try {
            written = store.append(new NewRecord(RecordType.OPERATOR_ACTION, 1, clock.instant(), SUBJECT,
                    n.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            pending.remove(ticket);
            throw e;
        }
        return written.handle((p, failure) -> {
            synchronized (this) {
                pending.remove(ticket);
                if (failure == null) {
                    apply(n);
                }
            }
            if (failure != null) {
                throw failure instanceof CompletionException c ? c : new CompletionException(failure);
            }
            return null;
        });
    }

    private static ObjectNode node(String kind, Instant at) {
        ObjectNode n = JSON.createObjectNode();
        n.put("v", 1).put("kind", kind).put("at", at.toString());
        return n;
    }

    private void transition(CaseTransition t, boolean drill, Category category) {
        if (drill) {
            return;
        }
        seen(t.at());
        if (t.action() == CaseAction.RECEIVED && category != null) {
            alarms.add(t.at(), category.name(), 0);
        } else if (t.action() == CaseAction.FORWARDED && "true".equals(t.details().get("police"))) {
            policeForwards.add(t.at(), "", 0);
        } else if (t.action() == CaseAction.FALSE_ALARM_MARKED) {
            falseAlarms.add(t.at(), "", 0);
        } else if (t.action() == CaseAction.VERIFIED && "FALSE".equals(t.details().get("result"))) {
            falseCauses.add(t.at(), t.details().getOrDefault("cause", "unknown"), 0);
        }
    }

    private void missedReport(Instant at) {
        seen(at);
        missedReports.add(at, "", 0);
    }

    /**
     * Moves the newest time seen, and once a day forgets what is older than {@link #RETAINED} behind it: missed
     * alarms, repaired fault tickets and the counted quarter hours.
     */
    private void seen(Instant at) {
        if (newest != null && !at.isAfter(newest)) {
            return;
        }
        newest = at;
        long day = Math.floorDiv(at.getEpochSecond(), 86_400);
        if (day == prunedDay) {
            return;
        }
        prunedDay = day;
        Instant horizon = at.minus(RETAINED);
        for (QuarterHourCounts q : series) {
            q.pruneBefore(horizon);
        }
        missed.removeIf(d -> d.at.isBefore(horizon));
        tickets.values().removeIf(t -> t.closedAt() != null && t.closedAt().isBefore(horizon));
    }

    /**
     * @return the quarter hours held across the ledger's counts (at most {@link #RETAINED} of them, 38,400, per
     *         count), for monitoring its bound
     */
    public synchronized int quartersHeld() {
        awaitReplayed();
        int n = 0;
        for (QuarterHourCounts q : series) {
            n += q.quarters();
        }
        return n;
    }

    /** Counts a status report: low battery, or a device, tamper or video fault; never restores nor drills. */
    private void status(AlarmEvent ev) {
        if (ev.drill() || ev.qualifier() == Qualifier.RESTORE) {
            return;
        }
        // which codes are low-battery reports is the code tables' (role column), not this ledger's
        if (CodeTables.isLowBattery(ev.codeSystem(), ev.code())) {
            seen(ev.receivedAt());
            lowBattery.add(ev.receivedAt(), "", 0);
        } else if (ev.category() == Category.DEVICE_FAULT || ev.category() == Category.TAMPER
                || ev.category() == Category.VIDEO_FAULT) {
            seen(ev.receivedAt());
            faultReports.add(ev.receivedAt(), "", 0);
        }
    }

    /**
     * Takes what the pipeline reports; register with {@code pipeline.addListener(ledger::onPipelineEvent)}.
     *
     * @param e the pipeline event
     */
    public synchronized void onPipelineEvent(PipelineEvent e) {
        if (e instanceof PipelineEvent.CaseChanged changed) {
            transition(changed.transition(), changed.c().drill(), changed.c().category());
        } else if (e instanceof PipelineEvent.StatusReported s) {
            status(s.event());
        }
    }

    /**
     * Takes what the supervisor decides: each offline event is a missed periodic report (定时报告异常).
     *
     * @param e the supervision event
     */
    public synchronized void onSupervisionEvent(SupervisionEvent e) {
        if (e instanceof SupervisionEvent.Offline) {
            missedReport(e.at());
        }
    }

    /**
     * Records a missed alarm (警情漏报): an alarm the centre should have handled and did not.
     *
     * @param at          when it happened
     * @param description what was missed
     * @return completes once the input is durable (over a store) and counted; exceptionally if the store failed
     */
    public synchronized CompletionStage<Void> recordMissedAlarm(Instant at, String description) {
        awaitReplayed();
        return input(node("missedAlarm", Objects.requireNonNull(at, "at")).put("description", description), null);
    }

    /**
     * The missed alarms recorded in a period, oldest first.
     *
     * @param from start, inclusive
     * @param to   end, exclusive
     * @return when each happened and what was missed
     */
    public synchronized List<Map.Entry<Instant, String>> missedAlarms(Instant from, Instant to) {
        awaitReplayed();
        return missed.stream().filter(d -> in(d.at, from, to)).sorted((a, b) -> a.at.compareTo(b.at))
                .map(d -> Map.entry(d.at, d.label)).toList();
    }

    /**
     * Opens a fault ticket.
     *
     * @param id             the ticket id
     * @param at             when the fault was reported
     * @param classification its class
     * @param platform       true for a platform fault
     * @return completes once the ticket is durable (over a store) and counted; exceptionally if the store failed
     * @throws IllegalArgumentException if the id is taken
     */
    public synchronized CompletionStage<Void> openFault(String id, Instant at, String classification,
                                                        boolean platform) {
        awaitReplayed();
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(classification, "classification");
        if (tickets.containsKey(id) || pending.contains(id)) {
            throw new IllegalArgumentException("fault ticket exists: " + id);
        }
        return input(node("faultOpened", Objects.requireNonNull(at, "at")).put("id", id)
                .put("classification", classification).put("platform", platform), id);
    }

    /**
     * Closes a fault ticket: the fault is repaired.
     *
     * @param id the ticket id
     * @param at when it was repaired
     * @return completes once the repair is durable (over a store) and counted; exceptionally if the store failed
     * @throws IllegalArgumentException if there is no such open ticket
     */
    public synchronized CompletionStage<Void> closeFault(String id, Instant at) {
        awaitReplayed();
        FaultTicket t = tickets.get(id);
        if (t == null || t.closedAt() != null || pending.contains(id)) {
            throw new IllegalArgumentException("no open fault ticket " + id);
        }
        if (at.isBefore(t.openedAt())) {
            throw new IllegalArgumentException("closed before opened: " + id);
        }
        return input(node("faultClosed", at).put("id", id), id);
    }

    /** @return every fault ticket, in the order opened */
    public synchronized List<FaultTicket> faults() {
        awaitReplayed();
        return List.copyOf(tickets.values());
    }

    /**
     * Records one customer's satisfaction score (客户满意度, GA 1383 附录B).
     *
     * @param customerId the customer
     * @param score      0 to 100
     * @param at         when the survey was answered
     * @return completes once the score is durable (over a store) and counted; exceptionally if the store failed
     */
    public synchronized CompletionStage<Void> recordSatisfaction(String customerId, double score, Instant at) {
        awaitReplayed();
        if (score < 0 || score > 100) {
            throw new IllegalArgumentException("score must be 0..100: " + score);
        }
        return input(node("satisfaction", Objects.requireNonNull(at, "at")).put("customerId", customerId)
                .put("score", score), null);
    }

    private static boolean in(Instant at, Instant from, Instant to) {
        return !at.isBefore(from) && at.isBefore(to);
    }

    private static long count(List<Dated> list, Instant from, Instant to) {
        return list.stream().filter(d -> in(d.at, from, to)).count();
    }

    /**
     * GA 1383's quality metrics for a period; counts are per quarter hour (see the class comment), missed alarms
     * and fault tickets by their own times.
     *
     * @param from start, inclusive
     * @param to   end, exclusive
     * @return the report
     */
    public synchronized QualityReport report(Instant from, Instant to) {
        awaitReplayed();
        List<FaultTicket> faults = tickets.values().stream().filter(t -> in(t.openedAt(), from, to)).toList();
        long scores = satisfaction.count(from, to);
        OptionalDouble mean = scores == 0 ? OptionalDouble.empty()
                : OptionalDouble.of(satisfaction.sum(from, to) / scores);
        return new QualityReport(from, to, count(missed, from, to), policeForwards.count(from, to),
                falseAlarms.count(from, to), faults.size(),
                faults.stream().filter(FaultTicket::repairedWithin24h).count(), mean, scores);
    }

    /**
     * The daily operating statistics for a day; the counts of the moment come from the caller (the supervisor's
     * {@code all()} and the pipeline's armed states at the time of the report).
     *
     * @param day      the day
     * @param zone     the centre's time zone
     * @param online   devices online now
     * @param offline  devices offline now
     * @param armed    sites armed now
     * @param disarmed sites disarmed now
     * @return the statistics
     */
    public synchronized DailyStatistics daily(LocalDate day, ZoneId zone, int online, int offline, int armed,
                                              int disarmed) {
        awaitReplayed();
        Instant from = day.atStartOfDay(zone).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(zone).toInstant();
        return new DailyStatistics(day, online, offline, armed, disarmed, missedReports.count(from, to),
                lowBattery.count(from, to), faultReports.count(from, to));
    }

    /**
     * The monthly fault and false-alarm classification.
     *
     * @param month the month
     * @param zone  the centre's time zone
     * @return the classification
     */
    public synchronized MonthlyClassification monthly(YearMonth month, ZoneId zone) {
        awaitReplayed();
        Instant from = month.atDay(1).atStartOfDay(zone).toInstant();
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
        Map<String, Long> byClass = new TreeMap<>();
        tickets.values().stream().filter(t -> in(t.openedAt(), from, to))
                .forEach(t -> byClass.merge(t.classification(), 1L, Long::sum));
        Map<String, Long> causes = new TreeMap<>(falseCauses.byLabel(from, to));
        Map<Category, Long> byCategory = new EnumMap<>(Category.class);
        alarms.byLabel(from, to).forEach((c, n) -> byCategory.put(Category.valueOf(c), n));
        return new MonthlyClassification(month, byClass, causes, byCategory);
    }
}
