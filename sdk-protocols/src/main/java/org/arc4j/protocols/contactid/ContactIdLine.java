package org.arc4j.protocols.contactid;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.intake.AlarmIntake;
import org.arc4j.core.intake.IdempotencyKey;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.protocols.audio.G711;

/**
 * One answered telephone call carrying Contact ID (SIA DC-05) into the centre: a {@link ContactIdReceiverSession}
 * wired to an {@link AlarmIntake}. Each valid message becomes one {@link AlarmEvent} (protocol
 * {@link org.arc4j.core.event.Protocol#CONTACT_ID_PSTN}), handed to the intake with an idempotency key of the
 * line, the call and the sixteen digits, so that a message the panel repeats within the call is stored once; the
 * kissoff is played only after the receipt completed as accepted (GA 1383 requires that nothing acknowledged is
 * lost; a refused receipt leaves the panel to retry).
 *
 * <p>Audio comes from a line card, a VoIP gateway (see sdk-media's RTP path) or a file, as 16-bit linear or G.711
 * samples at 8 kHz. Receive times come from the given clock, the only clock involved.
 *
 * <p>Not thread-safe: feed a line from one thread. Receipts may complete on any thread.
 */
public final class ContactIdLine {
    private final ContactIdReceiverSession session;
    private final AlarmIntake intake;
    private final ContactIdEvents events;
    private final ContactIdOrigin origin;
    private final String callId;
    private final Clock clock;
    private final Metrics metrics;

    /**
     * A line for one call.
     *
     * @param settings receiver timing
     * @param intake   where events go
     * @param events   maps messages to events
     * @param origin   protocol, transport, ingress and link of this line
     * @param callId   identifies the call (unique per line), part of the idempotency key
     * @param clock    the centre's clock, for receive times
     * @param onEnd    told of the call's report when it ends
     */
    public ContactIdLine(ContactIdReceiverSession.Settings settings, AlarmIntake intake, ContactIdEvents events,
                         ContactIdOrigin origin, String callId, Clock clock, Consumer<ContactIdCallReport> onEnd) {
        this(settings, intake, events, origin, callId, clock, onEnd, new SimpleMetrics());
    }

    /**
     * A line for one call that counts what happens on it: {@code contactid.messages} by {@code outcome}
     * ({@code accepted}, {@code refused}, {@code rejected} with the {@code reason}) and {@code contactid.calls} by
     * {@code ending}.
     *
     * @param settings receiver timing
     * @param intake   where events go
     * @param events   maps messages to events
     * @param origin   protocol, transport, ingress and link of this line
     * @param callId   identifies the call (unique per line), part of the idempotency key
     * @param clock    the centre's clock, for receive times
     * @param onEnd    told of the call's report when it ends
     * @param metrics  where the counts go
     */
    public ContactIdLine(ContactIdReceiverSession.Settings settings, AlarmIntake intake, ContactIdEvents events,
                         ContactIdOrigin origin, String callId, Clock clock, Consumer<ContactIdCallReport> onEnd,
                         Metrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.intake = Objects.requireNonNull(intake, "intake");
        this.events = Objects.requireNonNull(events, "events");
        this.origin = Objects.requireNonNull(origin, "origin");
        this.callId = Objects.requireNonNull(callId, "callId");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(onEnd, "onEnd");
        this.session = new ContactIdReceiverSession(settings, new ContactIdReceiverSession.Listener() {
            @Override
            public void messageReceived(ContactIdReceiverSession s, ContactIdMessage message, long sample) {
                submit(s, message);
            }

            @Override
            public void messageRejected(ContactIdDecodeResult.Invalid invalid, long sample) {
                ContactIdLine.this.metrics.counter("contactid.messages", "outcome", "rejected", "reason",
                        invalid.error().name()).increment();
            }

            @Override
            public void callEnded(ContactIdCallReport report) {
                ContactIdLine.this.metrics.counter("contactid.calls", "ending", report.ending().name()).increment();
                onEnd.accept(report);
            }
        });
    }

    private void submit(ContactIdReceiverSession s, ContactIdMessage message) {
        AlarmEvent event;
        try {
            event = events.toEvent(message, origin, clock.instant());
        } catch (RuntimeException e) {
            // no code table: no event, so no kissoff; the panel retries and the failure shows in the report
            metrics.counter("contactid.messages", "outcome", "refused", "reason", "mapping").increment();
            s.receiptCompleted(message, false);
            return;
        }
        IdempotencyKey key = IdempotencyKey.of("contactid-pstn", origin.ingress().endpoint(), callId,
                message.digits());
        intake.accept(List.of(event), key).whenComplete((r, e) -> {
            boolean accepted = e == null && r instanceof Receipt.Accepted;
            metrics.counter("contactid.messages", "outcome", accepted ? "accepted" : "refused").increment();
            s.receiptCompleted(message, accepted);
        });
    }

    /** @return the receiver session (state and report) */
    public ContactIdReceiverSession session() {
        return session;
    }

    /**
     * Feeds linear samples and returns the samples to play.
     *
     * @param samples    8 kHz 16-bit samples from the line
     * @param sampleTime the stream index of the first
     * @return as many samples to play
     */
    public short[] feed(short[] samples, long sampleTime) {
        return session.feed(samples, sampleTime);
    }

    /**
     * Feeds G.711 codes and returns the codes to play, in the same law.
     *
     * @param law        µ-law or A-law
     * @param codes      8 kHz G.711 codes from the line
     * @param sampleTime the stream index of the first
     * @return as many codes to play
     */
    public byte[] feed(G711.Law law, byte[] codes, long sampleTime) {
        short[] in = new short[codes.length];
        G711.INSTANCE.decode(law, codes, 0, in, 0, codes.length);
        short[] out = session.feed(in, sampleTime);
        byte[] res = new byte[out.length];
        G711.INSTANCE.encode(law, out, 0, res, 0, out.length);
        return res;
    }
}
