package org.arc4j.protocols.contactid;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.arc4j.protocols.audio.ToneDetector;
import org.arc4j.protocols.audio.ToneWriter;

/**
 * The panel's side of an Ademco Contact ID call (SIA DC-05), driven only by samples: it listens for the
 * receiver's handshake (1400 Hz then 2300 Hz), sends each queued message as DTMF at about ten digits a second,
 * waits for the kissoff (1400 Hz), and repeats a message that was not kissed off, up to a number of attempts.
 * For tests, vendors and the panel simulator; the tones' levels, twist and frequency offset can be set to imitate
 * real panels at the edges of ITU-T Q.24.
 *
 * <p>For each sample fed from the line it writes one sample to send. Not thread-safe.
 */
public final class ContactIdTransmitterSession {
    private static final int RATE = 8000;

    /**
     * How the panel sends.
     *
     * @param toneMs            each DTMF tone
     * @param pauseMs           the pause after each tone
     * @param lowDbm0           the low-group (row) level
     * @param highDbm0          the high-group (column) level
     * @param frequencyFactor   multiplies every DTMF frequency (1.015 is +1.5 %)
     * @param startDelayMs      pause after the handshake or a kissoff before the first digit
     * @param kissoffWaitMs     how long after a message to wait for the kissoff to begin
     * @param minKissoffMs      the shortest 1400 Hz tone taken as a kissoff
     * @param maxAttempts       attempts per message before giving up
     * @param handshakeWaitMs   how long to wait for a handshake before giving up
     */
    public record Settings(int toneMs, int pauseMs, double lowDbm0, double highDbm0, double frequencyFactor,
                           int startDelayMs, int kissoffWaitMs, int minKissoffMs, int maxAttempts,
                           int handshakeWaitMs) {
        /** Validates the values. */
        public Settings {
            if (toneMs <= 0 || pauseMs <= 0 || startDelayMs < 0 || kissoffWaitMs <= 0 || minKissoffMs <= 0
                    || maxAttempts < 1 || handshakeWaitMs <= 0) {
                throw new IllegalArgumentException("invalid transmitter timing");
            }
        }

        /**
         * A typical panel: 50 ms tones and pauses, −7/−5 dBm0 (2 dB reverse twist, as dialers pre-emphasise the
         * high group), nominal frequencies, 250 ms before digits, 1.25 s to wait for the kissoff, a kissoff of at
         * least 400 ms, 4 attempts, 30 s for the handshake.
         *
         * @return the defaults
         */
        public static Settings typical() {
            return new Settings(50, 50, -7, -5, 1.0, 250, 1250, 400, 4, 30_000);
        }

        /**
         * A copy sending at other levels and frequencies.
         *
         * @param low    low-group level
         * @param high   high-group level
         * @param factor frequency factor
         * @return the copy
         */
        public Settings withTones(double low, double high, double factor) {
            return new Settings(toneMs, pauseMs, low, high, factor, startDelayMs, kissoffWaitMs, minKissoffMs,
                    maxAttempts, handshakeWaitMs);
        }

        /**
         * A copy with other tone and pause lengths.
         *
         * @param tone  tone length
         * @param pause pause length
         * @return the copy
         */
        public Settings withTiming(int tone, int pause) {
            return new Settings(tone, pause, lowDbm0, highDbm0, frequencyFactor, startDelayMs, kissoffWaitMs,
                    minKissoffMs, maxAttempts, handshakeWaitMs);
        }
    }

    /** Where the panel is. */
    public enum State {
        /** Waiting for the receiver's handshake. */
        AWAITING_HANDSHAKE,
        /** The pause before a message. */
        PAUSE,
        /** Sending a message's digits. */
        SENDING,
        /** Waiting for the kissoff. */
        AWAITING_KISSOFF,
        /** Every message was kissed off. */
        DONE,
        /** A message failed every attempt, or no handshake came. */
        FAILED
    }

    private final Settings settings;
    private final ArrayDeque<ContactIdMessage> queue;
    private final List<ContactIdMessage> kissedOff = new ArrayList<>();
    private final ToneWriter writer = new ToneWriter(RATE);
    private final ToneDetector tones;
    private final List<ToneDetector.Tone> heard = new ArrayList<>();
    private State state = State.AWAITING_HANDSHAKE;
    private long now;
    private long deadline;
    private long lastLowEnd = Long.MIN_VALUE;
    private String keys;
    private long sendStart;
    private int attempts;
    private int totalAttempts;

    /**
     * A panel with messages to report.
     *
     * @param settings how it sends
     * @param messages what it reports, in order
     */
    public ContactIdTransmitterSession(Settings settings, List<ContactIdMessage> messages) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.queue = new ArrayDeque<>(messages);
        this.tones = new ToneDetector(heard::add, 1400, 2300);
        this.deadline = ms(settings.handshakeWaitMs());
    }

    /** @return the current state */
    public State state() {
        return state;
    }

    /** @return true when the panel has finished, successfully or not: hang up */
    public boolean isFinished() {
        return state == State.DONE || state == State.FAILED;
    }

    /** @return the messages kissed off so far, in order */
    public List<ContactIdMessage> kissedOff() {
        return List.copyOf(kissedOff);
    }

    /** @return messages sent, counting every repetition */
    public int attempts() {
        return totalAttempts;
    }

    /**
     * Feeds samples heard from the line and returns the samples to send.
     *
     * @param samples 8 kHz 16-bit linear samples
     * @return as many samples to send
     */
    public short[] feed(short[] samples) {
        short[] out = new short[samples.length];
        int done = 0;
        while (done < samples.length) {
            int chunk = (int) Math.min(samples.length - done, Math.max(1, Math.min(deadline - now, 64)));
            play(out, done, chunk);
            tones.process(samples, done, chunk);
            now += chunk;
            done += chunk;
            for (ToneDetector.Tone t : heard) {
                tone(t);
            }
            heard.clear();
            tick();
        }
        return out;
    }

    private void play(short[] out, int off, int n) {
        if (state != State.SENDING) {
            return;
        }
        int tone = ms(settings.toneMs());
        int period = tone + ms(settings.pauseMs());
        int i = 0;
        while (i < n) {
            long t = now + i - sendStart;
            int k = (int) (t / period);
            int within = (int) (t % period);
            if (k >= keys.length()) {
                break;
            }
            if (within < tone) {
                int run = Math.min(n - i, tone - within);
                writer.dtmf(out, off + i, run, keys.charAt(k), settings.lowDbm0(), settings.highDbm0(),
                        settings.frequencyFactor());
                i += run;
            } else {
                i += Math.min(n - i, period - within);
            }
        }
    }

    private void tone(ToneDetector.Tone t) {
        switch (state) {
            case AWAITING_HANDSHAKE:
                if (t.frequency() == 1400) {
                    lastLowEnd = t.endSample();
                } else if (t.startSample() - lastLowEnd < ms(400) && t.startSample() >= lastLowEnd - ms(20)) {
                    state = State.PAUSE;
                    deadline = now + ms(settings.startDelayMs());
                }
                break;
            case AWAITING_KISSOFF:
                if (t.frequency() == 1400 && t.length() >= ms(settings.minKissoffMs())) {
                    kissedOff.add(queue.removeFirst());
                    attempts = 0;
                    if (queue.isEmpty()) {
                        state = State.DONE;
                    } else {
                        state = State.PAUSE;
                        deadline = now + ms(settings.startDelayMs());
                    }
                }
                break;
            default:
                break;
        }
    }

    private void tick() {
        switch (state) {
            case AWAITING_HANDSHAKE:
                if (now >= deadline) {
                    state = State.FAILED;
                }
                break;
            case PAUSE:
                if (now >= deadline) {
                    if (queue.isEmpty()) {
                        state = State.DONE;
                        break;
                    }
                    if (attempts >= settings.maxAttempts()) {
                        state = State.FAILED;
                        break;
                    }
                    attempts++;
                    totalAttempts++;
                    keys = queue.peekFirst().dtmf();
                    sendStart = now;
                    state = State.SENDING;
                    deadline = now + (long) keys.length() * (ms(settings.toneMs()) + ms(settings.pauseMs()));
                }
                break;
            case SENDING:
                if (now >= deadline) {
                    state = State.AWAITING_KISSOFF;
                    deadline = now + ms(settings.kissoffWaitMs());
                }
                break;
            case AWAITING_KISSOFF:
                if (now >= deadline && tones.sounding(0) == 0) {
                    // no kissoff: repeat the message
                    state = State.PAUSE;
                    deadline = now;
                }
                break;
            default:
                break;
        }
    }

    private static int ms(int millis) {
        return millis * RATE / 1000;
    }
}
