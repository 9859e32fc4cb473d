package org.arc4j.protocols.contactid;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.arc4j.protocols.audio.DtmfDetector;
import org.arc4j.protocols.audio.DtmfDigit;
import org.arc4j.protocols.audio.ToneWriter;

/**
 * The receiver's side of one Ademco Contact ID call (SIA DC-05) on an answered telephone line, driven only by
 * samples: no threads, no clock. It is fed blocks of 8 kHz 16-bit linear samples and writes, for each sample in,
 * one sample to play back.
 *
 * <p>The call: after the answer delay (about 1.25 s) it plays the handshake (1400 Hz, a pause, 2300 Hz, 100 ms each)
 * and listens for DTMF. Digits are assembled into a message; a message ends with its sixteenth digit or when no
 * digit follows within the inter-digit timeout. A message with a good checksum goes to the {@link Listener}, and the
 * session stays silent until {@link #receiptCompleted} says the intake has made it durable; only then does
 * it play the kissoff (1400 Hz for about 900 ms after a 200 ms pause). A bad message, or a refused receipt, gets no
 * kissoff, so the panel repeats it. After a kissoff the panel may send further messages; when none comes within
 * the first-digit timeout the call is complete. With no digit after a handshake, the handshake is repeated up to
 * a limit, then the session hangs up. Every call produces a {@link ContactIdCallReport}.
 *
 * <p>Not thread-safe, except {@link #receiptCompleted}, which may be called from any thread (an intake
 * completes its receipts elsewhere) and takes effect at the next {@link #feed}.
 */
public final class ContactIdReceiverSession {
    private static final int RATE = 8000;
    private static final double HANDSHAKE_LOW_HZ = 1400;
    private static final double HANDSHAKE_HIGH_HZ = 2300;
    private static final double KISSOFF_HZ = 1400;

    /**
     * Timing and levels of the receiver, all in milliseconds or dBm0. {@link #dc05()} gives the SIA DC-05 values.
     *
     * @param answerDelayMs        silence after answering, before the handshake
     * @param handshakeToneMs      each handshake tone
     * @param handshakeGapMs       the pause between the two handshake tones
     * @param handshakeDbm0        the handshake level
     * @param firstDigitTimeoutMs  how long to wait for a first digit after a handshake, a bad message or a kissoff
     * @param interDigitTimeoutMs  silence after a digit that ends a short message
     * @param kissoffDelayMs       pause between the receipt and the kissoff
     * @param kissoffMs            the kissoff's length
     * @param kissoffDbm0          the kissoff level
     * @param maxHandshakes        handshakes sent before giving up on a call with no message
     * @param receiptTimeoutMs     how long to wait for the intake's receipt before treating it as refused
     * @param maxCallMs            the longest call
     * @param detector             DTMF detector thresholds
     */
    public record Settings(int answerDelayMs, int handshakeToneMs, int handshakeGapMs, double handshakeDbm0,
                           int firstDigitTimeoutMs, int interDigitTimeoutMs, int kissoffDelayMs, int kissoffMs,
                           double kissoffDbm0, int maxHandshakes, int receiptTimeoutMs, int maxCallMs,
                           DtmfDetector.Settings detector) {
        /** Validates the values. */
        public Settings {
            Objects.requireNonNull(detector, "detector");
            if (answerDelayMs < 0 || handshakeToneMs <= 0 || handshakeGapMs < 0 || firstDigitTimeoutMs <= 0
                    || interDigitTimeoutMs <= 0 || kissoffDelayMs < 0 || kissoffMs <= 0 || maxHandshakes < 1
                    || receiptTimeoutMs <= 0 || maxCallMs <= 0) {
                throw new IllegalArgumentException("invalid receiver timing");
            }
        }

        /**
         * The SIA DC-05 values: 1.25 s answer delay, 100/100/100 ms handshake at −9 dBm0, first-digit timeout 2 s,
         * inter-digit timeout 200 ms, kissoff 900 ms at −9 dBm0 after 200 ms, 4 handshakes, receipts waited for
         * up to 5 s, calls up to 5 minutes, Q.24 detector.
         *
         * @return the defaults
         */
        public static Settings dc05() {
            return new Settings(1250, 100, 100, -9, 2000, 200, 200, 900, -9, 4, 5000, 300_000,
                    DtmfDetector.Settings.q24());
        }

        /** @param v the receipt timeout @return a copy with it */
        public Settings withReceiptTimeoutMs(int v) {
            return new Settings(answerDelayMs, handshakeToneMs, handshakeGapMs, handshakeDbm0, firstDigitTimeoutMs,
                    interDigitTimeoutMs, kissoffDelayMs, kissoffMs, kissoffDbm0, maxHandshakes, v, maxCallMs,
                    detector);
        }

        /** @param v the answer delay @return a copy with it */
        public Settings withAnswerDelayMs(int v) {
            return new Settings(v, handshakeToneMs, handshakeGapMs, handshakeDbm0, firstDigitTimeoutMs,
                    interDigitTimeoutMs, kissoffDelayMs, kissoffMs, kissoffDbm0, maxHandshakes, receiptTimeoutMs,
                    maxCallMs, detector);
        }
    }

    /** Receives what the session decodes. Called on the thread that calls {@link #feed}. */
    public interface Listener {
        /**
         * A message with a good checksum arrived. Hand its events to the intake and call
         * {@link ContactIdReceiverSession#receiptCompleted} when the receipt completes; the session sends
         * no kissoff before that.
         *
         * @param session the session
         * @param message the message
         * @param sample  the input sample index at which its last digit ended
         */
        void messageReceived(ContactIdReceiverSession session, ContactIdMessage message, long sample);

        /**
         * A message was ignored (the panel will repeat it).
         *
         * @param invalid why
         * @param sample  the input sample index at which it ended
         */
        default void messageRejected(ContactIdDecodeResult.Invalid invalid, long sample) {
        }

        /**
         * The call ended.
         *
         * @param report what happened on it
         */
        default void callEnded(ContactIdCallReport report) {
        }
    }

    /** Where the call is. */
    public enum State {
        /** Silence after answering. */
        ANSWER_DELAY,
        /** Playing the 1400 Hz handshake tone. */
        HANDSHAKE_LOW,
        /** The pause between the handshake tones. */
        HANDSHAKE_GAP,
        /** Playing the 2300 Hz handshake tone. */
        HANDSHAKE_HIGH,
        /** Waiting for the first digit of a message. */
        LISTENING,
        /** Assembling a message's digits. */
        RECEIVING,
        /** Waiting for the intake's receipt of a valid message. */
        AWAITING_RECEIPT,
        /** The pause before the kissoff. */
        KISSOFF_DELAY,
        /** Playing the kissoff. */
        KISSOFF,
        /** The call is over. */
        ENDED
    }

    /** What the session listened after: it decides what a first-digit timeout means. */
    private enum After { HANDSHAKE, REJECTION, KISSOFF }

    /** A receipt handed over from the intake's thread. */
    private record Completion(ContactIdMessage message, boolean accepted) {
    }

    private final Settings settings;
    private final Listener listener;
    private final DtmfDetector detector;
    private final ToneWriter writer = new ToneWriter(RATE);
    private final AtomicReference<Completion> receipt = new AtomicReference<>();
    private final List<DtmfDigit> heard = new ArrayList<>();
    private final StringBuilder digits = new StringBuilder(ContactIdMessage.LENGTH);
    private final List<ContactIdCallReport.Delivery> delivered = new ArrayList<>();
    private final List<ContactIdDecodeResult.Invalid> rejected = new ArrayList<>();

    private State state = State.ANSWER_DELAY;
    private After after = After.HANDSHAKE;
    private long start = -1;
    private long now;
    private long deadline;
    private long detectorOffset;
    private int handshakes;
    private int refusals;
    private long firstDigit;
    private long lastDigit;
    private long lastHeard = Long.MIN_VALUE / 2;
    private long receiptAt;
    private ContactIdMessage pending;
    private ContactIdCallReport.Ending ending;

    /**
     * A session for a call just answered.
     *
     * @param settings timing and levels
     * @param listener receives messages and the report
     */
    public ContactIdReceiverSession(Settings settings, Listener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.detector = new DtmfDetector(settings.detector(), heard::add);
    }

    /** @return the current state */
    public State state() {
        return state;
    }

    /** @return true once the call is over: hang up the line */
    public boolean isEnded() {
        return state == State.ENDED;
    }

    /**
     * The intake's receipt for a message passed to {@link Listener#messageReceived} completed. Thread-safe. A receipt
     * for a message other than the one now awaited (a late answer for an attempt the session already gave up on)
     * is ignored, unless it is for the same sixteen digits: those are the same events under the same idempotency
     * key, so their receipt acknowledges the repetition too.
     *
     * @param message  the message the receipt is for
     * @param accepted true when the events are durable (kissoff), false when refused (no kissoff; the panel retries)
     */
    public void receiptCompleted(ContactIdMessage message, boolean accepted) {
        receipt.set(new Completion(Objects.requireNonNull(message, "message"), accepted));
    }

    /**
     * Feeds input and returns the samples to play back, one for each sample in.
     *
     * @param samples    8 kHz 16-bit linear samples from the line
     * @param sampleTime the stream index of the first of them (a jump forward counts as elapsed silence)
     * @return the samples to play, as many as were given
     */
    public short[] feed(short[] samples, long sampleTime) {
        short[] out = new short[samples.length];
        feed(samples, 0, out, 0, samples.length, sampleTime);
        return out;
    }

    /**
     * Feeds input and writes the samples to play back.
     *
     * @param in         8 kHz 16-bit linear samples from the line
     * @param inOff      first input sample
     * @param out        receives the samples to play (overwritten)
     * @param outOff     first output sample
     * @param len        number of samples in and out
     * @param sampleTime the stream index of the first input sample
     */
    public void feed(short[] in, int inOff, short[] out, int outOff, int len, long sampleTime) {
        if (start < 0) {
            start = sampleTime;
            now = sampleTime;
            deadline = now + ms(settings.answerDelayMs());
            detectorOffset = sampleTime;
        } else if (sampleTime > now) {
            detectorOffset += sampleTime - now;
            now = sampleTime;
        }
        int done = 0;
        while (done < len) {
            takeReceipt();
            int chunk = (int) Math.min(len - done, Math.max(1, Math.min(deadline - now, 64)));
            for (int i = 0; i < chunk; i++) {
                out[outOff + done + i] = 0;
            }
            play(out, outOff + done, chunk);
            detector.process(in, inOff + done, chunk);
            now += chunk;
            done += chunk;
            for (DtmfDigit d : heard) {
                digit(d);
            }
            heard.clear();
            tick();
        }
    }

    /**
     * Takes a DTMF digit signalled out of band — an RFC 4733 telephone-event from a VoIP gateway that removed the
     * tone from the audio — as if the detector had heard it. Call it on the feeding thread, with times on the same
     * sample clock as {@link #feed}; it is handled with the next block fed.
     *
     * @param key         the DTMF key
     * @param startSample the stream index where the tone began
     * @param endSample   the stream index where it ended
     */
    public void telephoneEvent(char key, long startSample, long endSample) {
        heard.add(new DtmfDigit(Character.toUpperCase(key), startSample - detectorOffset, endSample - detectorOffset,
                0, 0));
    }

    /**
     * Ends the call now (the line dropped, or the caller gives up) and reports it; does nothing if it has ended.
     */
    public void hangUp() {
        end(ContactIdCallReport.Ending.HUNG_UP);
    }

    /** @return the report so far (final once {@link #isEnded()}) */
    public ContactIdCallReport report() {
        return new ContactIdCallReport(Math.max(start, 0), now, handshakes, delivered, rejected, refusals, ending);
    }

    private void play(short[] out, int off, int n) {
        switch (state) {
            case HANDSHAKE_LOW:
                writer.sine(out, off, n, HANDSHAKE_LOW_HZ, settings.handshakeDbm0());
                break;
            case HANDSHAKE_HIGH:
                writer.sine(out, off, n, HANDSHAKE_HIGH_HZ, settings.handshakeDbm0());
                break;
            case KISSOFF:
                writer.sine(out, off, n, KISSOFF_HZ, settings.kissoffDbm0());
                break;
            default:
                break;
        }
    }

    private void digit(DtmfDigit d) {
        long end = d.endSample() + detectorOffset;
        lastHeard = Math.max(lastHeard, end);
        switch (state) {
            case LISTENING:
                digits.setLength(0);
                firstDigit = d.startSample() + detectorOffset;
                state = State.RECEIVING;
                append(d.key(), end);
                break;
            case RECEIVING:
                append(d.key(), end);
                break;
            default:
                // digits while we play tones or wait for a receipt are the panel repeating itself: ignored
                break;
        }
    }

    private void append(char key, long end) {
        digits.append(key);
        lastDigit = end;
        if (digits.length() == ContactIdMessage.LENGTH) {
            messageEnded();
        }
    }

    private void tick() {
        if (state != State.ENDED && now - start >= ms(settings.maxCallMs())) {
            end(ContactIdCallReport.Ending.TOO_LONG);
            return;
        }
        switch (state) {
            case ANSWER_DELAY:
                if (now >= deadline) {
                    handshake();
                }
                break;
            case HANDSHAKE_LOW:
                if (now >= deadline) {
                    state = State.HANDSHAKE_GAP;
                    deadline = now + ms(settings.handshakeGapMs());
                }
                break;
            case HANDSHAKE_GAP:
                if (now >= deadline) {
                    state = State.HANDSHAKE_HIGH;
                    deadline = now + ms(settings.handshakeToneMs());
                }
                break;
            case HANDSHAKE_HIGH:
                if (now >= deadline) {
                    listen(After.HANDSHAKE);
                }
                break;
            case LISTENING:
                if (now >= deadline && !detector.toneActive()) {
                    if (after == After.KISSOFF) {
                        end(ContactIdCallReport.Ending.COMPLETED);
                    } else if (handshakes < settings.maxHandshakes()) {
                        handshake();
                    } else {
                        end(delivered.isEmpty() ? ContactIdCallReport.Ending.NO_MESSAGE
                                : ContactIdCallReport.Ending.COMPLETED);
                    }
                }
                break;
            case RECEIVING:
                if (now - lastDigit >= ms(settings.interDigitTimeoutMs()) && !detector.toneActive()) {
                    messageEnded();
                }
                break;
            case AWAITING_RECEIPT:
                if (now >= deadline) {
                    refusals++;
                    pending = null;
                    listen(After.REJECTION);
                }
                break;
            case KISSOFF_DELAY:
                // a panel that repeated its message while the receipt was pending must have finished, or it would
                // not hear the kissoff
                if (now >= deadline && !detector.toneActive()
                        && now - lastHeard >= ms(settings.kissoffDelayMs())) {
                    state = State.KISSOFF;
                    delivered.add(new ContactIdCallReport.Delivery(pending, firstDigit, lastDigit, receiptAt, now));
                    pending = null;
                    deadline = now + ms(settings.kissoffMs());
                }
                break;
            case KISSOFF:
                if (now >= deadline) {
                    listen(After.KISSOFF);
                }
                break;
            default:
                break;
        }
    }

    private void takeReceipt() {
        if (state != State.AWAITING_RECEIPT) {
            return;
        }
        Completion c = receipt.getAndSet(null);
        if (c == null || !c.message().equals(pending)) {
            return;
        }
        if (c.accepted()) {
            receiptAt = now;
            state = State.KISSOFF_DELAY;
            deadline = now + ms(settings.kissoffDelayMs());
        } else {
            refusals++;
            pending = null;
            listen(After.REJECTION);
        }
    }

    private void messageEnded() {
        ContactIdDecodeResult r = ContactIdDecoder.INSTANCE.decodeDtmf(digits);
        digits.setLength(0);
        if (r instanceof ContactIdDecodeResult.Valid v) {
            pending = v.message();
            state = State.AWAITING_RECEIPT;
            deadline = now + ms(settings.receiptTimeoutMs());
            receipt.set(null);
            listener.messageReceived(this, pending, lastDigit);
        } else {
            ContactIdDecodeResult.Invalid inv = (ContactIdDecodeResult.Invalid) r;
            rejected.add(inv);
            listen(After.REJECTION);
            listener.messageRejected(inv, lastDigit);
        }
    }

    private void handshake() {
        handshakes++;
        state = State.HANDSHAKE_LOW;
        deadline = now + ms(settings.handshakeToneMs());
    }

    private void listen(After why) {
        state = State.LISTENING;
        after = why;
        deadline = now + ms(settings.firstDigitTimeoutMs());
    }

    private void end(ContactIdCallReport.Ending why) {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        ending = why;
        deadline = Long.MAX_VALUE;
        listener.callEnded(report());
    }

    private static long ms(int millis) {
        return (long) millis * RATE / 1000;
    }
}
