package org.arc4j.core.supervision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;

/**
 * The centre's {@link Supervisor}: one deadline per device on the {@link Scheduler}, and every decision
 * journalled as a {@link RecordType#SUPERVISION SUPERVISION} record, so that a device that was offline when
 * the centre stopped is still offline after the restart and its next check-in is paired with the original
 * offline event (GA 1383 服务平台: 离线的IP前端设备应能提示).
 *
 * <p>It also runs the GA 1383 设备巡检 duties: {@link #scheduleRemoteInspection remote inspection} at least
 * every 24 h of devices not heard from within the period (the integrator dials them), and the
 * {@link #lateToTest late-to-test report} of devices whose periodic test or poll is overdue.
 *
 * <p>SUPERVISION payload, version 1: {@code {"v":1,"event":"OFFLINE"|"ONLINE","namespace":..,"id":..,"at":..,
 * "lastSeen":..?,"lastLink":..?,"link":..?,"offlineSince":..?}}, subject {@code namespace:id}.
 *
 * <p>Bounded: a device that checks in without being expected (an account nobody configured, a stranger's
 * device ID) is remembered among at most {@code maxUnexpected} such devices (default
 * {@value #DEFAULT_MAX_UNEXPECTED}); past that, the one that checked in longest ago is forgotten. Expected
 * devices are the integrator's configuration and are never evicted.
 *
 * <p>Thread-safe: state changes are serialised on this object; listeners run outside the lock, on the
 * scheduler's thread (offline) or the caller's (online).
 */
public final class JournalledSupervisor implements Supervisor {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DAY = Duration.ofHours(24);

    private final RecordStore store;
    private final Scheduler scheduler;
    private final Map<DeviceKey, State> devices = new HashMap<>();
    /** Devices that checked in without an expectation, least recently checked in first. */
    private final LinkedHashMap<DeviceKey, State> unexpected = new LinkedHashMap<>(16, 0.75f, true);
    private final int maxUnexpected;

    /** The default bound of devices that check in without being expected. */
    public static final int DEFAULT_MAX_UNEXPECTED = 10_000;
    private final List<Consumer<SupervisionEvent>> listeners = new CopyOnWriteArrayList<>();

    private static final class State {
        final DeviceKey device;
        Duration maxSilence;
        Instant lastCheckIn;
        String lastLink;
        Instant deadline;
        Instant offlineSince;
        Cancellable timer;

        State(DeviceKey device) {
            this.device = device;
        }

        DeviceStatus snapshot() {
            return new DeviceStatus(device, offlineSince == null, lastCheckIn, lastLink, maxSilence, deadline);
        }
    }

    /**
     * A device whose periodic test or poll is overdue.
     *
     * @param device      the device
     * @param due         when its check-in was due
     * @param lastCheckIn its last check-in, or null
     * @param late        how late it is at the time of the report
     */
    public record LateReport(DeviceKey device, Instant due, Instant lastCheckIn, Duration late) {
    }

    private JournalledSupervisor(RecordStore store, Scheduler scheduler, int maxUnexpected) {
        if (maxUnexpected < 1) {
            throw new IllegalArgumentException("maxUnexpected must be positive");
        }
        this.maxUnexpected = maxUnexpected;
        this.store = Objects.requireNonNull(store, "store");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * Opens a supervisor over a store, replaying its SUPERVISION records (on the calling thread) to restore which
     * devices are offline. Expectations are not journalled: the integrator sets them again from its
     * configuration after opening.
     *
     * @param store     the store
     * @param scheduler the scheduler for deadlines
     * @return the supervisor
     * @throws IllegalArgumentException if a SUPERVISION record is malformed
     */
    public static JournalledSupervisor open(RecordStore store, Scheduler scheduler) {
        return open(store, scheduler, DEFAULT_MAX_UNEXPECTED);
    }

    /**
     * Opens a supervisor with a bound on devices that check in without being expected.
     *
     * @param store         the store
     * @param scheduler     the scheduler for deadlines
     * @param maxUnexpected the most such devices remembered, positive
     * @return the supervisor
     */
    public static JournalledSupervisor open(RecordStore store, Scheduler scheduler, int maxUnexpected) {
        JournalledSupervisor s = new JournalledSupervisor(store, scheduler, maxUnexpected);
        store.replay(1, Set.of(RecordType.SUPERVISION), (StoredRecord r) -> {
            if (r.type() == RecordType.SUPERVISION) {
                s.restore(r);
            }
        });
        return s;
    }

    private synchronized void restore(StoredRecord r) {
        JsonNode n;
        try {
            n = JSON.readTree(r.payload());
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed SUPERVISION record at " + r.position(), e);
        }
        DeviceKey key = DeviceKey.of(n.path("namespace").asText(), n.path("id").asText());
        State s = devices.computeIfAbsent(key, State::new);
        if ("OFFLINE".equals(n.path("event").asText())) {
            s.offlineSince = Instant.parse(n.path("at").asText());
            s.lastCheckIn = n.hasNonNull("lastSeen") ? Instant.parse(n.path("lastSeen").asText()) : null;
            s.lastLink = n.hasNonNull("lastLink") ? n.path("lastLink").asText() : null;
        } else {
            s.offlineSince = null;
            s.lastCheckIn = Instant.parse(n.path("at").asText());
            s.lastLink = n.path("link").asText(null);
        }
    }

    @Override
    public void expect(DeviceKey device, Duration maxSilence) {
        Objects.requireNonNull(device, "device");
        if (maxSilence.isZero() || maxSilence.isNegative()) {
            throw new IllegalArgumentException("maxSilence must be positive: " + maxSilence);
        }
        synchronized (this) {
            State s = devices.computeIfAbsent(device, State::new);
            unexpected.remove(device);
            s.maxSilence = maxSilence;
            if (s.offlineSince != null) {
                cancel(s); // already offline: no deadline until it checks in again
                s.deadline = null;
                return;
            }
            Instant from = s.lastCheckIn != null ? s.lastCheckIn : scheduler.now();
            arm(s, from.plus(maxSilence));
        }
    }

    @Override
    public void forget(DeviceKey device) {
        synchronized (this) {
            State s = devices.remove(device);
            unexpected.remove(device);
            if (s != null) {
                cancel(s);
            }
        }
    }

    @Override
    public void checkIn(DeviceKey device, String link, Instant at) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(at, "at");
        SupervisionEvent.Online back = null;
        synchronized (this) {
            State s = devices.computeIfAbsent(device, State::new);
            if (s.maxSilence == null) {
                unexpected.put(device, s); // access order: the eldest is the longest silent
                if (unexpected.size() > maxUnexpected) {
                    Map.Entry<DeviceKey, State> eldest = unexpected.entrySet().iterator().next();
                    unexpected.remove(eldest.getKey());
                    if (eldest.getValue().maxSilence == null) {
                        devices.remove(eldest.getKey(), eldest.getValue());
                    }
                }
            }
            if (s.lastCheckIn != null && at.isBefore(s.lastCheckIn)) {
                return;
            }
            s.lastCheckIn = at;
            s.lastLink = link;
            if (s.offlineSince != null) {
                back = new SupervisionEvent.Online(device, at, link, s.offlineSince);
                s.offlineSince = null;
                journal(back);
            }
            if (s.maxSilence != null) {
                arm(s, at.plus(s.maxSilence));
            }
        }
        if (back != null) {
            publish(back);
        }
    }

    private static void cancel(State s) {
        if (s.timer != null) {
            s.timer.cancel();
            s.timer = null;
        }
    }

    private void arm(State s, Instant deadline) {
        cancel(s);
        s.deadline = deadline;
        s.timer = scheduler.scheduleAt(deadline, () -> fire(s, deadline));
    }

    private void fire(State s, Instant deadline) {
        SupervisionEvent.Offline off;
        synchronized (this) {
            if (devices.get(s.device) != s || !deadline.equals(s.deadline) || s.offlineSince != null) {
                return;
            }
            s.offlineSince = deadline;
            s.deadline = null;
            off = new SupervisionEvent.Offline(s.device, deadline, s.lastCheckIn, s.lastLink);
            journal(off);
        }
        publish(off);
    }

    private void journal(SupervisionEvent e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("v", 1);
        n.put("namespace", e.device().namespace()).put("id", e.device().id()).put("at", e.at().toString());
        if (e instanceof SupervisionEvent.Offline off) {
            n.put("event", "OFFLINE");
            if (off.lastSeen() != null) {
                n.put("lastSeen", off.lastSeen().toString());
            }
            if (off.lastLink() != null) {
                n.put("lastLink", off.lastLink());
            }
        } else if (e instanceof SupervisionEvent.Online on) {
            n.put("event", "ONLINE");
            if (on.link() != null) {
                n.put("link", on.link());
            }
            n.put("offlineSince", on.offlineSince().toString());
        }
        store.append(new NewRecord(RecordType.SUPERVISION, 1, e.at(), e.device().toString(),
                n.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private void publish(SupervisionEvent e) {
        for (Consumer<SupervisionEvent> l : listeners) {
            l.accept(e);
        }
    }

    @Override
    public synchronized Optional<DeviceStatus> status(DeviceKey device) {
        State s = devices.get(device);
        return s == null ? Optional.empty() : Optional.of(s.snapshot());
    }

    @Override
    public synchronized Collection<DeviceStatus> all() {
        return devices.values().stream().map(State::snapshot).toList();
    }

    @Override
    public void addListener(Consumer<SupervisionEvent> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(Consumer<SupervisionEvent> listener) {
        listeners.remove(listener);
    }

    /**
     * The late-to-test report: every supervised device that is offline, oldest due first.
     *
     * @return the report at the scheduler's now
     */
    public synchronized List<LateReport> lateToTest() {
        Instant now = scheduler.now();
        List<LateReport> out = new ArrayList<>();
        for (State s : devices.values()) {
            if (s.offlineSince != null && s.maxSilence != null) {
                out.add(new LateReport(s.device, s.offlineSince, s.lastCheckIn, Duration.between(s.offlineSince, now)));
            }
        }
        out.sort(Comparator.comparing(LateReport::due).thenComparing(r -> r.device().toString()));
        return out;
    }

    /**
     * Starts the remote inspection schedule (GA 1383 设备巡检: 定期对非实时在线的前端设备进行远程巡检，检测时间
     * 间隔小于等于24h): every {@code period}, {@code inspect} is called for each known device not heard from
     * within the period, so the integrator can dial or poll it; its answer comes back as a check-in.
     *
     * @param period  how often, positive and at most 24 h
     * @param inspect called on the scheduler's thread for each device due, in key order
     * @return a handle to stop the schedule
     * @throws IllegalArgumentException if the period is longer than 24 h
     */
    public Cancellable scheduleRemoteInspection(Duration period, Consumer<DeviceKey> inspect) {
        if (period.compareTo(DAY) > 0) {
            throw new IllegalArgumentException("GA 1383 requires an inspection at least every 24 h: " + period);
        }
        Objects.requireNonNull(inspect, "inspect");
        return scheduler.scheduleAtFixedRate(period, () -> {
            List<DeviceKey> due = new ArrayList<>();
            synchronized (this) {
                Instant limit = scheduler.now().minus(period);
                for (State s : devices.values()) {
                    if (s.lastCheckIn == null || s.lastCheckIn.isBefore(limit)) {
                        due.add(s.device);
                    }
                }
            }
            due.sort(Comparator.comparing(DeviceKey::toString));
            due.forEach(inspect);
        });
    }
}
