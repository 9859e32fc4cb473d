package org.arc4j.gb28181.cascade.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.gb28181.cascade.CascadeAlarm;

/**
 * The alarms forwarded to one upper platform and not yet answered with 200 (GA 1383 警情转发: an unconfirmed
 * forward is retried), kept durable: every change writes the whole pending set as a {@code CHECKPOINT} record
 * (subject {@code gb28181/cascade/<upper ID>/alarms}), so that after a restart the newest one names exactly the
 * forwards still to deliver. A forward is accepted only once its record is durable.
 *
 * <p>Not thread-safe: used on the cascade's thread only.
 */
public final class AlarmOutbox {
    /** Payload version of the pending-set record. */
    public static final int VERSION = 1;

    /** A forward waiting for its 200. */
    public static final class Pending {
        final CascadeAlarm alarm;
        final Instant decidedAt;
        final CompletableFuture<Instant> delivered = new CompletableFuture<>();
        int attempts;
        boolean inFlight;
        long sn = -1;

        Pending(CascadeAlarm alarm, Instant decidedAt, int attempts) {
            this.alarm = alarm;
            this.decidedAt = decidedAt;
            this.attempts = attempts;
        }

        /** @return the alarm */
        public CascadeAlarm alarm() {
            return alarm;
        }
    }

    private final RecordStore store;
    private final Clock clock;
    private final String subject;
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    /**
     * Loads the pending forwards from the store.
     *
     * @param store   the store
     * @param clock   the clock records are stamped with
     * @param upperId the upper platform
     */
    public AlarmOutbox(RecordStore store, Clock clock, String upperId) {
        this.store = store;
        this.clock = clock;
        this.subject = subject(upperId);
        store.newest(RecordType.CHECKPOINT, subject).ifPresent(r -> {
            Map<String, String> m = Props.read(r.payload());
            for (int i = 0; m.containsKey(i + ".reference"); i++) {
                String p = i + ".";
                String type = m.get(p + "type");
                CascadeAlarm a = new CascadeAlarm(m.get(p + "reference"), m.get(p + "localKey"),
                        Integer.parseInt(m.get(p + "priority")), Integer.parseInt(m.get(p + "method")),
                        type == null ? null : Integer.valueOf(type), Instant.parse(m.get(p + "time")),
                        m.get(p + "description"));
                pending.put(a.reference(), new Pending(a, Instant.parse(m.get(p + "decidedAt")),
                        Integer.parseInt(m.get(p + "attempts"))));
            }
        });
    }

    /**
     * @param upperId the upper platform
     * @return the subject of its pending-set records
     */
    public static String subject(String upperId) {
        return "gb28181/cascade/" + upperId + "/alarms";
    }

    /**
     * Adds a forward (or returns the pending one with the same reference).
     *
     * @param alarm the alarm
     * @return the pending forward, once its record is durable
     */
    public CompletionStage<Pending> add(CascadeAlarm alarm) {
        Pending have = pending.get(alarm.reference());
        if (have != null) {
            return CompletableFuture.completedFuture(have);
        }
        Pending p = new Pending(alarm, clock.instant(), 0);
        pending.put(alarm.reference(), p);
        return write().thenApply(pos -> p);
    }

    /**
     * Removes a delivered forward.
     *
     * @param p the forward
     * @return done once the removal is durable
     */
    public CompletionStage<Long> remove(Pending p) {
        pending.remove(p.alarm.reference(), p);
        return write();
    }

    /** @return the pending forwards, oldest first */
    public List<Pending> all() {
        return new ArrayList<>(pending.values());
    }

    /** @return how many are pending */
    public int size() {
        return pending.size();
    }

    private CompletionStage<Long> write() {
        Map<String, String> m = new HashMap<>();
        int i = 0;
        for (Pending p : pending.values()) {
            String k = (i++) + ".";
            CascadeAlarm a = p.alarm;
            m.put(k + "reference", a.reference());
            if (a.localKey() != null) {
                m.put(k + "localKey", a.localKey());
            }
            m.put(k + "priority", Integer.toString(a.priority()));
            m.put(k + "method", Integer.toString(a.method()));
            if (a.type() != null) {
                m.put(k + "type", a.type().toString());
            }
            m.put(k + "time", a.time().toString());
            if (a.description() != null) {
                m.put(k + "description", a.description());
            }
            m.put(k + "decidedAt", p.decidedAt.toString());
            m.put(k + "attempts", Integer.toString(p.attempts));
        }
        return store.append(new NewRecord(RecordType.CHECKPOINT, VERSION, clock.instant(), subject, Props.write(m)));
    }
}
