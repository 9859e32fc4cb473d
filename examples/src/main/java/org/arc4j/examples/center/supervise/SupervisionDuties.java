package org.arc4j.examples.center.supervise;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Session;
import org.arc4j.core.supervision.DeviceKey;
import org.arc4j.core.supervision.DeviceStatus;
import org.arc4j.core.supervision.JournalledSupervisor;
import org.arc4j.core.supervision.SupervisionEvent;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;
import org.arc4j.examples.center.api.ApiGuard;
import org.arc4j.examples.center.config.LinksConfig;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpResponse;
import org.arc4j.examples.center.http.Router;

/**
 * The centre's supervision duties (GA 1383 设备状态检测, 设备巡检, 设备校时, 故障统计), on top of the SDK's
 * {@link JournalledSupervisor}:
 * <ul>
 *   <li>a device the supervisor declares offline raises a {@link Prompt} — {@code late-to-test} when its check-ins
 *       are periodic tests (an hour apart or more), {@code offline} otherwise — that the console shows and speaks
 *       until an operator acknowledges it; the device coming back clears it;</li>
 *   <li>an offline device opens a fault ticket ({@code faultAfter} later, default at once) that its return closes,
 *       with the repair time;</li>
 *   <li>every {@code inspection} period (at most 24 h) each device not heard from within it raises an
 *       {@code inspection} prompt: the operator checks it remotely;</li>
 *   <li>the device clock report: for every device whose messages carry their own time (DC-09 timestamps, GB/T 28181
 *       alarm times) and every ONVIF camera ({@link #report}), the last and largest difference to the centre's
 *       clock, judged against
 *       {@code clockTolerance} (30 s, GA 1383's limit for PSTN devices); Contact ID carries no time, which the
 *       report says.</li>
 * </ul>
 * REST: {@code GET /api/prompts}, {@code POST /api/prompts/{id}/ack}, {@code GET /api/faults/open},
 * {@code GET /api/devices/clock}, all needing {@code VIEW_ALARMS}. Every prompt raised, acknowledged (who, when) and
 * cleared, and every inspection run, is journalled ({@link PromptLog}): the prompts survive a restart, and offline
 * devices without one are prompted at start (the supervisor's state is journalled). Every time comes from the
 * centre's scheduler. Thread-safe.
 */
public final class SupervisionDuties implements AutoCloseable {
    /** Check-ins this far apart or more are periodic tests: missing one is "late to test". */
    static final Duration PERIODIC_TEST = Duration.ofHours(1);
    private static final int KEEP = 500;
    /** The kinds of prompt a device's outage raises. */
    private static final Set<String> DEVICE_KINDS = Set.of("offline", "late-to-test");

    private final JournalledSupervisor supervisor;
    private final Scheduler scheduler;
    private final RecordStore store;
    private final Consumer<ObjectNode> push;
    private final Duration faultDelay;
    private final Duration tolerance;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Prompt> prompts = new LinkedHashMap<>();
    private final Map<String, Instant> offlineSince = new HashMap<>();
    private final Map<DeviceKey, Fault> faults = new TreeMap<>(Comparator.comparing(DeviceKey::toString));
    private final Map<String, ClockSample> clocks = new TreeMap<>();
    private final List<Cancellable> timers = new ArrayList<>();

    /** An open fault ticket. */
    private record Fault(String id, DeviceKey device, Instant offlineSince, Instant openedAt, Cancellable pending) {
    }

    /** What is known of one device's clock. */
    private record ClockSample(String device, String transport, Duration last, Duration worst, long samples,
                               Instant at) {
    }

    private SupervisionDuties(JournalledSupervisor supervisor, Scheduler scheduler, RecordStore store,
                              Consumer<ObjectNode> push, LinksConfig.Supervision config) {
        this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.store = Objects.requireNonNull(store, "store");
        this.push = Objects.requireNonNull(push, "push");
        this.faultDelay = config.faultDelay();
        this.tolerance = config.tolerance();
    }

    /**
     * Starts the duties: listens to the supervisor, prompts the devices already offline, starts the inspection.
     *
     * @param supervisor the centre's supervisor
     * @param scheduler  the centre's scheduler
     * @param store      the journal acknowledgements go to ({@code OPERATOR_ACTION}, subject {@code prompt/ID})
     * @param push       sends a console message ({@code {"type":"prompt",…}}) to every console
     * @param config     the {@code supervision} section
     * @return the running duties; {@link #accepted} takes the intake's acceptances for the clock report
     */
    public static SupervisionDuties start(JournalledSupervisor supervisor, Scheduler scheduler, RecordStore store,
                                          Consumer<ObjectNode> push, LinksConfig.Supervision config) {
        SupervisionDuties d = new SupervisionDuties(supervisor, scheduler, store, push, config);
        d.restore(PromptLog.read(store));
        for (DeviceStatus s : supervisor.all()) {
            if (!s.online() && s.maxSilence() != null) {
                d.offline(s.device(), s.deadline() != null ? s.deadline() : scheduler.now(), s.lastCheckIn(),
                        s.maxSilence());
            }
        }
        supervisor.addListener(d::onSupervisionEvent);
        synchronized (d) {
            d.timers.add(supervisor.scheduleRemoteInspection(config.inspectionPeriod(), d::inspect));
            d.timers.add(scheduler.scheduleAtFixedRate(config.inspectionPeriod(),
                    () -> d.inspected(config.inspectionPeriod())));
        }
        return d;
    }

    /** The prompts of before a restart, their ids not reused; those of devices back online meanwhile cleared. */
    private void restore(PromptLog log) {
        Map<String, Boolean> online = new TreeMap<>();
        supervisor.all().forEach(s -> online.put(s.device().toString(), s.online()));
        List<Prompt> cleared = new ArrayList<>();
        synchronized (this) {
            for (PromptLog.Entry e : log.prompts()) {
                Prompt p = e.prompt();
                keep(p);
                offlineSince.put(p.id(), e.offlineSince());
                try {
                    long n = Long.parseLong(p.id().substring(1));
                    ids.updateAndGet(v -> Math.max(v, n));
                } catch (NumberFormatException | IndexOutOfBoundsException ex) {
                    // an id of another form cannot collide with ours
                }
            }
            for (Prompt p : new ArrayList<>(prompts.values())) {
                if (p.clearedAt() == null && DEVICE_KINDS.contains(p.kind())
                        && Boolean.TRUE.equals(online.get(p.subject()))) {
                    Prompt c = new Prompt(p.id(), p.kind(), p.subject(), p.text(), p.raisedAt(), p.acknowledgedBy(),
                            scheduler.now());
                    prompts.put(p.id(), c);
                    cleared.add(c);
                }
            }
        }
        cleared.forEach(c -> journal("cleared", c, null));
    }

    private void keep(Prompt p) {
        prompts.put(p.id(), p);
        while (prompts.size() > KEEP) {
            offlineSince.remove(prompts.keySet().iterator().next());
            prompts.remove(prompts.keySet().iterator().next());
        }
    }

    /** A run of the remote inspection, journalled for the compliance report (GA 1383 设备巡检 ≤ 24 h). */
    private void inspected(Duration period) {
        Instant limit = scheduler.now().minus(period);
        java.util.Collection<DeviceStatus> all = supervisor.all();
        long silent = all.stream().filter(s -> s.lastCheckIn() == null || s.lastCheckIn().isBefore(limit)).count();
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("event", "inspection-run")
                .put("devices", all.size()).put("silent", silent).put("periodSeconds", period.toSeconds());
        store.append(new NewRecord(RecordType.OPERATOR_ACTION, 1, scheduler.now(), PromptLog.INSPECTION,
                n.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** Journals one step of a prompt's life ({@code OPERATOR_ACTION}, subject {@code prompt/ID}). */
    private void journal(String event, Prompt p, ObjectNode extra) {
        ObjectNode rec = json(p).put("event", event);
        Instant since;
        synchronized (this) {
            since = offlineSince.get(p.id());
        }
        if (since != null) {
            rec.put("offlineSince", since.toString());
        }
        if (extra != null) {
            rec.setAll(extra);
        }
        store.append(new NewRecord(RecordType.OPERATOR_ACTION, 1, scheduler.now(), PromptLog.PROMPT + p.id(),
                rec.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private void onSupervisionEvent(SupervisionEvent e) {
        if (e instanceof SupervisionEvent.Offline off) {
            Duration silence = supervisor.status(off.device()).map(DeviceStatus::maxSilence).orElse(null);
            offline(off.device(), off.at(), off.lastSeen(), silence);
        } else if (e instanceof SupervisionEvent.Online on) {
            online(on.device(), on.at());
        }
    }

    private void offline(DeviceKey device, Instant since, Instant lastSeen, Duration maxSilence) {
        boolean periodic = maxSilence != null && maxSilence.compareTo(PERIODIC_TEST) >= 0;
        String last = lastSeen == null ? "never heard from" : "last heard " + lastSeen;
        boolean prompted;
        synchronized (this) {
            // a prompt restored from before a restart still stands for this outage
            prompted = prompts.values().stream().anyMatch(p -> p.clearedAt() == null
                    && DEVICE_KINDS.contains(p.kind()) && p.subject().equals(device.toString()));
        }
        if (!prompted) {
            raise(since, periodic ? "late-to-test" : "offline", device.toString(), periodic
                    ? "Device " + device + " is late to test: its periodic test was due " + since + " (" + last + ")"
                    : "Device " + device + " is offline since " + since + " (" + last + ")");
        }
        synchronized (this) {
            if (!faults.containsKey(device)) {
                String id = "F" + ids.incrementAndGet();
                Cancellable open = faultDelay.isZero() ? null
                        : scheduler.schedule(faultDelay, () -> openFault(device));
                faults.put(device, new Fault(id, device, since, faultDelay.isZero() ? scheduler.now() : null, open));
            }
        }
    }

    private synchronized void openFault(DeviceKey device) {
        Fault f = faults.get(device);
        if (f != null && f.openedAt() == null) {
            faults.put(device, new Fault(f.id(), device, f.offlineSince(), scheduler.now(), null));
        }
    }

    private void online(DeviceKey device, Instant at) {
        Fault f;
        List<Prompt> cleared = new ArrayList<>();
        synchronized (this) {
            f = faults.remove(device);
            if (f != null && f.pending() != null) {
                f.pending().cancel();
            }
            for (Prompt p : new ArrayList<>(prompts.values())) {
                if (p.subject().equals(device.toString()) && p.clearedAt() == null) {
                    Prompt c = new Prompt(p.id(), p.kind(), p.subject(), p.text(), p.raisedAt(), p.acknowledgedBy(),
                            at);
                    prompts.put(p.id(), c);
                    cleared.add(c);
                }
            }
        }
        cleared.forEach(c -> {
            journal("cleared", c, null);
            send(c);
        });
    }

    private void inspect(DeviceKey device) {
        raise("inspection", device.toString(), "Remote inspection due: " + device
                + " has not been heard from in the last inspection period; check it remotely");
    }

    /**
     * Raises a prompt for the operators and pushes it to every console.
     *
     * @param kind    the prompt's kind
     * @param subject what it is about
     * @param text    what the operator reads and hears
     * @return the prompt
     */
    public Prompt raise(String kind, String subject, String text) {
        return raise(null, kind, subject, text);
    }

    private Prompt raise(Instant since, String kind, String subject, String text) {
        Prompt p = new Prompt("P" + ids.incrementAndGet(), kind, subject, text, scheduler.now(), null, null);
        synchronized (this) {
            keep(p);
            if (since != null) {
                offlineSince.put(p.id(), since);
            }
        }
        journal("raised", p, null);
        send(p);
        return p;
    }

    private void send(Prompt p) {
        ObjectNode msg = JsonNodeFactory.instance.objectNode();
        msg.put("type", "prompt");
        msg.set("prompt", json(p));
        push.accept(msg);
    }

    private static ObjectNode json(Prompt p) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("id", p.id());
        n.put("kind", p.kind());
        n.put("subject", p.subject());
        n.put("text", p.text());
        n.put("raisedAt", p.raisedAt().toString());
        n.put("active", p.active());
        n.put("acknowledgedBy", p.acknowledgedBy());
        n.put("clearedAt", p.clearedAt() == null ? null : p.clearedAt().toString());
        return n;
    }

    /** @return the devices with an open fault ticket, in key order */
    public synchronized List<DeviceKey> openFaults() {
        return faults.values().stream().filter(f -> f.openedAt() != null).map(Fault::device).toList();
    }

    /** @return the prompts still asking for attention, oldest first */
    public synchronized List<Prompt> activePrompts() {
        return prompts.values().stream().filter(Prompt::active).toList();
    }

    /**
     * An operator acknowledges a prompt (journalled).
     *
     * @param id       the prompt
     * @param operator who
     * @param from     where from (the client's address)
     * @return the prompt, or null if unknown
     */
    public Prompt acknowledge(String id, String operator, String from) {
        Prompt p;
        synchronized (this) {
            Prompt old = prompts.get(id);
            if (old == null) {
                return null;
            }
            if (old.acknowledgedBy() != null) {
                return old;
            }
            p = new Prompt(old.id(), old.kind(), old.subject(), old.text(), old.raisedAt(), operator,
                    old.clearedAt());
            prompts.put(id, p);
        }
        // GA 1383 存储处置信息: who acknowledged what, when, in the journal with the cases
        journal("acknowledged", p, JsonNodeFactory.instance.objectNode().put("from", from)
                .put("acknowledgedAt", scheduler.now().toString()));
        send(p);
        return p;
    }

    /**
     * An intake listener for the clock report: each event that carries its device's own time adds a sample. Intake
     * listeners run on the journal's completion thread, after the receipt (the ACK) has completed, never on the
     * forcer: the per-alarm arithmetic here no longer delays the next force.
     *
     * @param accepted what the intake accepted
     */
    public void accepted(Receipt.Accepted accepted) {
        if (accepted.duplicate()) {
            return;
        }
        for (AlarmEvent e : accepted.events()) {
            String device = e.protocol() + " " + (e.account() != null ? e.account() : String.valueOf(e.link()));
            synchronized (this) {
                ClockSample old = clocks.get(device);
                if (e.triggeredAt() == null) {
                    if (old == null) {
                        clocks.put(device, new ClockSample(device, e.transport().name(), null, null, 0,
                                e.receivedAt()));
                    }
                    continue;
                }
                sample(device, e.transport().name(), Duration.between(e.receivedAt(), e.triggeredAt()),
                        e.receivedAt());
            }
        }
    }

    /**
     * A clock sample from a source other than the intake — an ONVIF camera's clock read by the video service —
     * judged in the clock report against the same tolerance as the alarm devices (GA 1383 设备校时).
     *
     * @param device the device as the report names it, e.g. {@code camera cam1}
     * @param kind   how its clock was read (the report's {@code transport}), e.g. {@code ONVIF}
     * @param skew   its clock minus the centre's
     */
    public void report(String device, String kind, Duration skew) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(skew, "skew");
        synchronized (this) {
            sample(device, kind, skew, scheduler.now());
        }
    }

    private void sample(String device, String transport, Duration skew, Instant at) {
        ClockSample old = clocks.get(device);
        Duration worst = old == null || old.worst() == null || skew.abs().compareTo(old.worst().abs()) > 0
                ? skew : old.worst();
        clocks.put(device, new ClockSample(device, transport, skew, worst, (old == null ? 0 : old.samples()) + 1,
                at));
        while (clocks.size() > 100_000) {
            clocks.remove(clocks.keySet().iterator().next());
        }
    }

    /** @return the clock report: {@code devices}, each with its skew judged against the tolerance */
    synchronized ObjectNode clockReport() {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (ClockSample c : clocks.values()) {
            ObjectNode o = out.addObject().put("device", c.device()).put("transport", c.transport())
                    .put("samples", c.samples()).put("lastAt", c.at().toString())
                    .put("toleranceSeconds", tolerance.toSeconds());
            if (c.last() == null) {
                o.putNull("skewSeconds");
                o.put("note", "its messages carry no time (Contact ID): set its clock by the "
                        + "panel's own time report");
            } else {
                o.put("skewSeconds", c.last().toMillis() / 1000.0)
                        .put("worstSkewSeconds", c.worst().toMillis() / 1000.0)
                        .put("withinTolerance", c.worst().abs().compareTo(tolerance) <= 0);
            }
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set("devices", out);
        return n;
    }

    /**
     * Adds the REST routes.
     *
     * @param router the centre's router
     * @param guard  the API's access check
     * @return the router
     */
    public Router routes(Router router, ApiGuard guard) {
        return router
                .get("/api/prompts", r -> {
                    guard.require(r, Permission.VIEW_ALARMS, Resource.centre());
                    ArrayNode out = JsonNodeFactory.instance.arrayNode();
                    activePrompts().forEach(p -> out.add(json(p)));
                    ObjectNode n = JsonNodeFactory.instance.objectNode();
                    n.set("prompts", out);
                    return HttpResponse.ok(n);
                })
                .post("/api/prompts/{id}/ack", r -> {
                    Session s = guard.require(r, Permission.VIEW_ALARMS, Resource.centre());
                    Prompt p = acknowledge(r.param("id"), s.username(), r.remoteHost());
                    if (p == null) {
                        throw new ApiException(404, "no prompt " + r.param("id"));
                    }
                    return HttpResponse.ok(json(p));
                })
                .get("/api/faults/open", r -> {
                    guard.require(r, Permission.VIEW_ALARMS, Resource.centre());
                    ArrayNode out = JsonNodeFactory.instance.arrayNode();
                    Instant now = scheduler.now();
                    synchronized (this) {
                        for (Fault f : faults.values()) {
                            if (f.openedAt() != null) {
                                out.addObject().put("id", f.id()).put("device", f.device().toString())
                                        .put("offlineSince", f.offlineSince().toString())
                                        .put("openedAt", f.openedAt().toString())
                                        .put("openSeconds", Duration.between(f.offlineSince(), now).toSeconds());
                            }
                        }
                    }
                    ObjectNode n = JsonNodeFactory.instance.objectNode();
                    n.set("faults", out);
                    return HttpResponse.ok(n);
                })
                .get("/api/devices/clock", r -> {
                    guard.require(r, Permission.VIEW_ALARMS, Resource.centre());
                    return HttpResponse.ok(clockReport());
                });
    }

    /** Stops the inspection timer and pending fault timers. */
    @Override
    public synchronized void close() {
        timers.forEach(Cancellable::cancel);
        faults.values().forEach(f -> {
            if (f.pending() != null) {
                f.pending().cancel();
            }
        });
    }
}
