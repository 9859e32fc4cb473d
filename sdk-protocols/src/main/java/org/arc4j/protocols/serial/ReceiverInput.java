package org.arc4j.protocols.serial;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.arc4j.core.codes.CodeDefinition;
import org.arc4j.core.codes.CodeKind;
import org.arc4j.core.codes.CodeTable;
import org.arc4j.core.codes.CodeTables;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.intake.AlarmIntake;
import org.arc4j.core.intake.IdempotencyKey;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.supervision.DeviceKey;
import org.arc4j.core.supervision.Supervisor;
import org.arc4j.protocols.contactid.ContactIdEvents;
import org.arc4j.protocols.contactid.ContactIdMessage;
import org.arc4j.protocols.contactid.ContactIdOrigin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a hardware receiver's automation output (Sur-Gard MLR2 / System 5 records, Ademco 685 Contact ID records)
 * and acts as the central-station software the receiver expects:
 * <ul>
 *   <li>each event record becomes an {@link AlarmEvent} (protocol
 *       {@link org.arc4j.core.event.Protocol#SERIAL_RECEIVER}, with the receiver and line numbers the record
 *       carries) handed to the {@link AlarmIntake}; the ACK (0x06) goes back only once the receipt completed as
 *       accepted. A refused receipt gets no answer, so the receiver repeats the record after its 4 s timeout;</li>
 *   <li>a heartbeat is a check-in of the receiver ({@link DeviceKey} namespace {@code receiver}, id
 *       {@code endpoint/RR/L}) to the {@link Supervisor}, and is acknowledged at once;</li>
 *   <li>a record that cannot be parsed gets NAK (0x15).</li>
 * </ul>
 * Idempotency: a record is keyed by the link, the count of records acknowledged so far and its bytes, so a
 * repetition of a record not yet acknowledged is stored once, while the same record sent again later is a new
 * event. (If an ACK is lost on the wire and the receiver repeats the record, it is stored twice: at least once.)
 *
 * <p>Order: answers go back in the order the records came in, whatever order their receipts complete in (a
 * receiver that sends the next record before the previous ACK matches ACK/NAK bytes to records by position). An
 * answer waits until every answer to an earlier record is known; a record that gets no answer (refused, unmapped)
 * takes its turn and sends nothing. At most {@value #MAX_OUTSTANDING} records may wait for their answer: the
 * next one holds the link's reader thread (never an event loop: links read on their own thread) until the oldest
 * is answered, so the far end is held back by its serial or TCP flow control.
 *
 * <p>Thread-safe: bytes arrive on the link's thread, receipts complete on the intake's.
 */
public final class ReceiverInput implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiverInput.class);
    private final ByteLink link;
    private final AlarmIntake intake;
    private final Supervisor supervisor;
    private final Clock clock;
    private final ContactIdOrigin origin;
    private final ContactIdEvents contactId;
    private final Supplier<CodeTable> sia;
    private final ReceiverRecordDecoder decoder;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong naks = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private volatile CodeTable siaTable;
    private final Metrics metrics;
    /** Records whose answers wait in the queue before reading stops. */
    public static final int MAX_OUTSTANDING = 64;
    /** Answers not yet sent, oldest first; guarded by itself, which also keeps the writes in order. */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private volatile boolean closed;

    /** The answer to one record once known: ACK, NAK or 0 for none. */
    private static final class Pending {
        boolean done;
        byte answer;
        boolean acknowledges;
    }

    /**
     * An input on a link.
     *
     * @param link       the link to the receiver
     * @param intake     where events go
     * @param supervisor where heartbeats go
     * @param clock      the centre's clock, for receive times
     * @param origin     protocol ({@code SERIAL_RECEIVER}), configured transport, ingress and link id
     * @param contactId  maps Contact ID records to events
     * @param sia        the SIA code table, looked up on first use (e.g. {@code CodeTables::sia})
     */
    public ReceiverInput(ByteLink link, AlarmIntake intake, Supervisor supervisor, Clock clock,
                         ContactIdOrigin origin, ContactIdEvents contactId, Supplier<CodeTable> sia) {
        this(link, intake, supervisor, clock, origin, contactId, sia, new SimpleMetrics());
    }

    /**
     * An input on a link that counts {@code receiver.records} by {@code outcome}: {@code ack}, {@code heartbeat},
     * {@code nak} (with the {@code reason}), {@code refused} and {@code unmapped}.
     *
     * @param link       the link to the receiver
     * @param intake     where events go
     * @param supervisor where heartbeats go
     * @param clock      the centre's clock, for receive times
     * @param origin     protocol ({@code SERIAL_RECEIVER}), configured transport, ingress and link id
     * @param contactId  maps Contact ID records to events
     * @param sia        the SIA code table, looked up on first use (e.g. {@code CodeTables::sia})
     * @param metrics    where the counts go
     */
    public ReceiverInput(ByteLink link, AlarmIntake intake, Supervisor supervisor, Clock clock,
                         ContactIdOrigin origin, ContactIdEvents contactId, Supplier<CodeTable> sia, Metrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.link = Objects.requireNonNull(link, "link");
        this.intake = Objects.requireNonNull(intake, "intake");
        this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.origin = Objects.requireNonNull(origin, "origin");
        this.contactId = Objects.requireNonNull(contactId, "contactId");
        this.sia = Objects.requireNonNull(sia, "sia");
        this.decoder = new ReceiverRecordDecoder(this::handle);
    }

    /**
     * An input with the shipped code tables.
     *
     * @param link       the link
     * @param intake     where events go
     * @param supervisor where heartbeats go
     * @param clock      the centre's clock
     * @param origin     protocol, transport, ingress and link id
     * @return the input
     */
    public static ReceiverInput withShippedTables(ByteLink link, AlarmIntake intake, Supervisor supervisor,
                                                  Clock clock, ContactIdOrigin origin) {
        return new ReceiverInput(link, intake, supervisor, clock, origin, ContactIdEvents.withShippedTable(),
                CodeTables::sia);
    }

    /**
     * Starts reading.
     *
     * @throws IOException if the link cannot be opened
     */
    public void start() throws IOException {
        link.start(b -> {
            synchronized (decoder) {
                decoder.offer(b, 0, b.length);
            }
        });
    }

    /** @return records acknowledged so far (heartbeats included) */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** @return records (and unparseable byte runs) received so far */
    public long received() {
        return received.get();
    }

    /** @return NAKs sent so far */
    public long rejected() {
        return naks.get();
    }

    private void handle(RecordResult r) {
        received.incrementAndGet();
        Pending slot = enqueue();
        if (r instanceof RecordResult.Invalid inv) {
            metrics.counter("receiver.records", "outcome", "nak", "reason", inv.error().name()).increment();
            naks.incrementAndGet();
            answer(slot, ReceiverRecord.NAK, false);
            return;
        }
        RecordResult.Decoded d = (RecordResult.Decoded) r;
        Instant now = clock.instant();
        ReceiverRecord rec = d.record();
        if (rec instanceof ReceiverRecord.Heartbeat) {
            supervisor.checkIn(DeviceKey.of("receiver", link.endpoint() + "/" + rec.receiver() + "/" + rec.line()),
                    origin.link() == null ? origin.ingress().toString() : origin.link(), now);
            metrics.counter("receiver.records", "outcome", "heartbeat").increment();
            answer(slot, ReceiverRecord.ACK, true);
            return;
        }
        AlarmEvent event;
        try {
            event = toEvent(rec, d.raw(), now);
        } catch (RuntimeException e) {
            // a record we parsed but cannot map: no ACK, the receiver repeats it
            metrics.counter("receiver.records", "outcome", "unmapped").increment();
            answer(slot, (byte) 0, false);
            return;
        }
        IdempotencyKey key = IdempotencyKey.of("receiver", link.endpoint(), Long.toString(acknowledged.get()),
                new String(d.raw(), StandardCharsets.ISO_8859_1));
        intake.accept(List.of(event), key).whenComplete((receipt, e) -> {
            if (e == null && receipt instanceof Receipt.Accepted) {
                metrics.counter("receiver.records", "outcome", "ack").increment();
                answer(slot, ReceiverRecord.ACK, true);
            } else {
                metrics.counter("receiver.records", "outcome", "refused").increment();
                answer(slot, (byte) 0, false);
            }
        });
    }

    AlarmEvent toEvent(ReceiverRecord rec, byte[] raw, Instant now) {
        ContactIdOrigin o = origin.withReceiverLine(rec.receiver(), rec.line());
        if (rec instanceof ReceiverRecord.SurGardContactId c) {
            ContactIdMessage m = ContactIdMessage.of(c.account(), c.qualifier(), c.event(), c.group(), c.zone());
            return contactId.toEvent(m, o, now).toBuilder().raw(raw).build();
        }
        if (rec instanceof ReceiverRecord.Ademco685ContactId c) {
            ContactIdMessage m = ContactIdMessage.of(c.account(), c.qualifier(), c.event(), c.group(), c.zone());
            AlarmEvent.Builder b = contactId.toEvent(m, o, now).toBuilder().raw(raw);
            if (c.user()) {
                b.extended("zoneKind", "user");
            }
            return b.build();
        }
        ReceiverRecord.SurGardSia s = (ReceiverRecord.SurGardSia) rec;
        CodeTable table = siaTable();
        CodeDefinition def = table.find(s.code()).orElse(null);
        return AlarmEvent.builder()
                .account(s.account())
                .receiver(s.receiver())
                .line(s.line())
                .protocol(o.protocol())
                .transport(o.transport())
                .ingress(o.ingress())
                .link(o.link())
                .code(CodeSystem.SIA, s.code())
                .qualifier(def != null && def.kind() == CodeKind.RESTORE ? Qualifier.RESTORE : Qualifier.NEW_EVENT)
                .category(table.categoryOf(s.code()))
                .description(def == null ? null : def.description())
                .zone(s.zone())
                .receivedAt(now)
                .raw(raw)
                .build();
    }

    private CodeTable siaTable() {
        CodeTable t = siaTable;
        if (t == null) {
            try {
                t = Objects.requireNonNull(sia.get(), "SIA code table");
            } catch (RuntimeException | LinkageError e) {
                // as for Contact ID: better an event with an unknown code than a refused alarm
                LOG.error("SIA code table unavailable; every code maps to UNKNOWN_CODE", e);
                t = CodeTable.load(CodeSystem.SIA, new ByteArrayInputStream(new byte[0]));
            }
            siaTable = t;
        }
        return t;
    }

    /** Takes the next place in the answer queue, first waiting (on the link's reader thread) while it is full. */
    private Pending enqueue() {
        Pending p = new Pending();
        synchronized (pending) {
            boolean counted = false;
            while (pending.size() >= MAX_OUTSTANDING && !closed) {
                if (!counted) {
                    metrics.counter("receiver.records", "outcome", "read-paused").increment();
                    counted = true;
                }
                try {
                    pending.wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            pending.addLast(p);
        }
        return p;
    }

    /**
     * Records one answer and sends every answer at the head of the queue that is now known, in order (under the
     * queue's lock, so that two threads cannot swap them on the wire).
     */
    private void answer(Pending p, byte answer, boolean acknowledges) {
        synchronized (pending) {
            p.answer = answer;
            p.acknowledges = acknowledges;
            p.done = true;
            int n = 0;
            byte[] out = new byte[pending.size()];
            for (Pending head = pending.peekFirst(); head != null && head.done; head = pending.peekFirst()) {
                pending.pollFirst();
                if (head.acknowledges) {
                    acknowledged.incrementAndGet();
                }
                if (head.answer != 0) {
                    out[n++] = head.answer;
                }
            }
            pending.notifyAll();
            if (n > 0) {
                send(java.util.Arrays.copyOf(out, n));
            }
        }
    }

    private void send(byte[] bytes) {
        try {
            link.write(bytes);
        } catch (IOException e) {
            // the receiver hears nothing and repeats the record; nothing is lost
            metrics.counter("receiver.records", "outcome", "write-failed").increment();
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (pending) {
            pending.notifyAll();
        }
        link.close();
    }
}
