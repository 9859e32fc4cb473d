package org.arc4j.protocols.serial;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;

/**
 * Makes arc4j look like a Sur-Gard receiver to existing central-station automation software: every event it is
 * given goes out as a Sur-Gard record (Contact ID events as {@code 5RRL␣18AAAAQXYZGGCCC}, SIA events as
 * {@code 3RRL␣␣␣␣AAAAAAXXYYYY}, others as the Contact ID code of their category), one at a time, each waiting for
 * the ACK as the Sur-Gard MLR2 manual describes ("Acknowledgment of the Signal"): a record not acknowledged
 * within 4 s, or answered with NAK, is sent again, up to 3 more times. When that fails the far end counts as down:
 * records are kept in a bounded buffer and heartbeats ({@code 1RRL…@}) are sent every heartbeat interval; the first
 * heartbeat acknowledged brings the link back up and the buffer drains in order. Heartbeats are also sent while
 * the link is up and idle.
 *
 * <p>Every timer runs on the given {@link Scheduler}. Thread-safe.
 */
public final class ReceiverOutput implements AutoCloseable {

    /**
     * Output settings.
     *
     * @param receiver          the two-digit receiver number written into records
     * @param line              the one-digit line number written into records
     * @param ackTimeout        how long to wait for ACK (Sur-Gard: 4 s)
     * @param retries           resends after the first attempt (Sur-Gard: 3)
     * @param heartbeatInterval how often to send a heartbeat when idle or down
     * @param capacity          records buffered at most; {@link #publish} refuses more
     */
    public record Settings(String receiver, String line, Duration ackTimeout, int retries, Duration heartbeatInterval,
                           int capacity) {
        /** Validates the values. */
        public Settings {
            new ReceiverRecord.Heartbeat(receiver, line);
            if (ackTimeout.isNegative() || ackTimeout.isZero() || retries < 0 || heartbeatInterval.isNegative()
                    || heartbeatInterval.isZero() || capacity < 1) {
                throw new IllegalArgumentException("invalid output settings");
            }
        }

        /**
         * Sur-Gard defaults: receiver 01, line 1, ACK within 4 s, 3 resends, heartbeat every 30 s, 10,000 records.
         *
         * @return the defaults
         */
        public static Settings surGard() {
            return new Settings("01", "1", Duration.ofSeconds(4), 3, Duration.ofSeconds(30), 10_000);
        }
    }

    private final ByteLink link;
    private final Scheduler scheduler;
    private final Settings settings;
    private final Function<AlarmEvent, Optional<ReceiverRecord>> mapper;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final byte[] heartbeat;
    private byte[] inFlight;
    private boolean inFlightIsHeartbeat;
    private int attempts;
    private Cancellable timer;
    private Cancellable heartbeats;
    private boolean up = true;
    private long sent;
    private long acked;
    private long resends;
    private boolean closed;

    /**
     * An output with the default mapping of events to records ({@link #defaultRecord}).
     *
     * @param link      the link to the automation software
     * @param scheduler timers
     * @param settings  settings
     */
    public ReceiverOutput(ByteLink link, Scheduler scheduler, Settings settings) {
        this(link, scheduler, settings, e -> defaultRecord(e, settings.receiver(), settings.line()));
    }

    /**
     * An output with a custom mapping of events to records.
     *
     * @param link      the link
     * @param scheduler timers
     * @param settings  settings
     * @param mapper    the record for an event, or empty to leave an event out
     */
    public ReceiverOutput(ByteLink link, Scheduler scheduler, Settings settings,
                          Function<AlarmEvent, Optional<ReceiverRecord>> mapper) {
        this.link = Objects.requireNonNull(link, "link");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.heartbeat = new ReceiverRecord.Heartbeat(settings.receiver(), settings.line()).encode();
    }

    /**
     * Starts reading ACK/NAK from the link and the heartbeat timer.
     *
     * @throws IOException if the link cannot be opened
     */
    public void start() throws IOException {
        link.start(bytes -> {
            for (byte b : bytes) {
                if (b == ReceiverRecord.ACK) {
                    onAck();
                } else if (b == ReceiverRecord.NAK) {
                    onNak();
                }
            }
        });
        synchronized (this) {
            heartbeats = scheduler.scheduleAtFixedRate(settings.heartbeatInterval(), this::onHeartbeatTimer);
        }
    }

    /**
     * Queues an event for output.
     *
     * @param event the event
     * @return true if queued (or deliberately left out by the mapper), false if the buffer is full
     */
    public boolean publish(AlarmEvent event) {
        Optional<ReceiverRecord> rec = mapper.apply(event);
        if (rec.isEmpty()) {
            return true;
        }
        return publish(rec.get());
    }

    /**
     * Queues every event of an intake acceptance, unless it is a retransmission the automation side has already
     * seen; meant as an intake listener, e.g. {@code inMemoryIntake.addListener(output::accepted)}.
     *
     * @param accepted the acceptance
     * @return true if every event was queued
     */
    public boolean accepted(Receipt.Accepted accepted) {
        if (accepted.duplicate()) {
            return true;
        }
        boolean all = true;
        for (AlarmEvent e : accepted.events()) {
            all &= publish(e);
        }
        return all;
    }

    /**
     * Queues a record for output.
     *
     * @param record the record
     * @return true if queued, false if the buffer is full
     */
    public boolean publish(ReceiverRecord record) {
        return enqueue(record.encode());
    }

    /**
     * Closes this output and moves every record it still holds to {@code next}, in order, the one in flight first
     * (nothing unacknowledged is dropped): how an owner replaces a link whose far end went away. Records beyond
     * {@code next}'s capacity are not moved; their number is returned.
     *
     * @param next the output on the new link
     * @return how many records did not fit into {@code next}
     */
    public int handOver(ReceiverOutput next) {
        if (next == this) {
            throw new IllegalArgumentException("an output cannot hand over to itself");
        }
        List<byte[]> held;
        synchronized (this) {
            held = new ArrayList<>(queue);
            queue.clear();
        }
        close();
        int lost = 0;
        for (byte[] record : held) {
            if (!next.enqueue(record)) {
                lost++;
            }
        }
        return lost;
    }

    private synchronized boolean enqueue(byte[] encoded) {
        if (closed || queue.size() >= settings.capacity()) {
            return false;
        }
        queue.add(encoded);
        sendNext();
        return true;
    }

    /** @return true unless the far end stopped answering */
    public synchronized boolean isUp() {
        return up;
    }

    /** @return records waiting (including the one in flight) */
    public synchronized int pending() {
        return queue.size();
    }

    /** @return records acknowledged so far */
    public synchronized long acknowledged() {
        return acked;
    }

    /** @return transmissions so far, resends and heartbeats included */
    public synchronized long transmissions() {
        return sent;
    }

    /** @return resends so far */
    public synchronized long resends() {
        return resends;
    }

    private void sendNext() {
        if (inFlight != null || !up || queue.isEmpty()) {
            return;
        }
        transmit(queue.peekFirst(), false);
    }

    private void transmit(byte[] bytes, boolean isHeartbeat) {
        inFlight = bytes;
        inFlightIsHeartbeat = isHeartbeat;
        attempts = 1;
        write();
    }

    private void write() {
        sent++;
        // the timer is set before the bytes leave, so that it exists by the time anyone can answer them
        timer = scheduler.schedule(settings.ackTimeout(), this::onTimeout);
        try {
            link.write(inFlight);
        } catch (IOException e) {
            // the timer treats it as an unanswered record
        }
    }

    private synchronized void onAck() {
        if (inFlight == null) {
            return;
        }
        timer.cancel();
        if (inFlightIsHeartbeat) {
            up = true;
        } else {
            queue.pollFirst();
            acked++;
        }
        inFlight = null;
        sendNext();
    }

    private synchronized void onNak() {
        if (inFlight == null) {
            return;
        }
        timer.cancel();
        retry();
    }

    private synchronized void onTimeout() {
        if (inFlight == null || closed) {
            return;
        }
        retry();
    }

    private void retry() {
        if (attempts <= settings.retries()) {
            attempts++;
            resends++;
            write();
            return;
        }
        // every attempt failed: the far end is down; the record stays first in the buffer
        up = false;
        inFlight = null;
    }

    private synchronized void onHeartbeatTimer() {
        if (closed || inFlight != null) {
            return;
        }
        if (!up || queue.isEmpty()) {
            transmit(heartbeat, true);
        }
    }

    /**
     * The record for an event: Contact ID events as Sur-Gard Contact ID records, SIA events as Sur-Gard SIA records,
     * other events as a Contact ID record with the DC-05 code of their category (110 fire, 120 panic, 100 medical,
     * 130 burglary, 140 general alarm for an unknown code, 137 tamper, 380 trouble for video faults, 350
     * communication trouble, 300 system trouble, 570 bypass, 401 open/close, 422 access, 602 test, 140 otherwise).
     * Accounts longer than a record holds keep their last digits; a non-numeric account becomes {@code 0000}.
     *
     * @param e        the event
     * @param receiver the receiver number to write
     * @param line     the line number to write
     * @return the record
     */
    public static Optional<ReceiverRecord> defaultRecord(AlarmEvent e, String receiver, String line) {
        String zone = digitsOnly(e.zone(), 3, "000");
        String group = digitsOnly(e.partition(), 2, "00");
        if (e.codeSystem() == CodeSystem.SIA && e.code().length() == 2) {
            String acct = e.account() == null || e.account().isEmpty() ? "0" : tail(e.account().replace(" ", ""), 6);
            return Optional.of(new ReceiverRecord.SurGardSia(receiver, line, acct, e.code().toUpperCase(Locale.ROOT),
                    digitsOnly(e.zone(), 4, "0000")));
        }
        String account = digitsOnly(e.account(), 4, "0000");
        String code = e.codeSystem() == CodeSystem.CONTACT_ID && e.code().matches("[0-9B-F]{3}") ? e.code()
                : categoryCode(e.category());
        return Optional.of(new ReceiverRecord.SurGardContactId(receiver, line, account, e.qualifier(), code, group,
                zone));
    }

    private static String categoryCode(Category c) {
        switch (c) {
            case FIRE: return "110";
            case EMERGENCY: return "120";
            case MEDICAL: return "100";
            case INTRUSION: return "130";
            case TAMPER: return "137";
            case VIDEO_FAULT: return "380";
            case COMMUNICATION: return "350";
            case DEVICE_FAULT: return "300";
            case BYPASS: return "570";
            case OPEN_CLOSE: return "401";
            case ACCESS: return "422";
            case TEST: return "602";
            default: return "140";
        }
    }

    private static String digitsOnly(String s, int width, String fallback) {
        if (s == null || s.isEmpty() || !s.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return fallback;
        }
        String t = tail(s, width);
        return "0".repeat(width - t.length()) + t;
    }

    private static String tail(String s, int width) {
        return s.length() <= width ? s : s.substring(s.length() - width);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (timer != null) {
            timer.cancel();
        }
        if (heartbeats != null) {
            heartbeats.cancel();
        }
        link.close();
    }
}
