package org.arc4j.protocols.contactid;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongPredicate;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.testkit.ManualClock;
import org.arc4j.protocols.audio.ToneWriter;

/**
 * A telephone call between a {@link ContactIdTransmitterSession} and a {@link ContactIdLine} over an in-memory
 * four-wire line with loss and white noise in each direction, run block by block on sample time only.
 */
final class PhoneCall {
    static final int BLOCK = 160;

    final ManualClock clock = new ManualClock(Instant.parse("2026-11-24T06:00:00Z"));
    final InMemoryAlarmIntake intake = new InMemoryAlarmIntake(clock);
    final SimpleMetrics metrics = new SimpleMetrics();
    final List<ContactIdCallReport> reports = new ArrayList<>();
    final ContactIdTransmitterSession panel;
    final ContactIdLine line;
    double lossDb;
    double noiseDbm0 = Double.NEGATIVE_INFINITY;
    LongPredicate muteToReceiver = t -> false;
    final Random random = new Random(1);
    long time;
    final List<short[]> receiverOutput = new ArrayList<>();
    final List<short[]> receiverInput = new ArrayList<>();

    PhoneCall(ContactIdTransmitterSession.Settings panelSettings, List<ContactIdMessage> messages) {
        this(panelSettings, messages, ContactIdReceiverSession.Settings.dc05());
    }

    PhoneCall(ContactIdTransmitterSession.Settings panelSettings, List<ContactIdMessage> messages,
              ContactIdReceiverSession.Settings receiverSettings) {
        panel = new ContactIdTransmitterSession(panelSettings, messages);
        line = new ContactIdLine(receiverSettings, intake, ContactIdEvents.withTable(TestCodes.table()),
                ContactIdOrigin.pstn(new Ingress("contactid-pstn", "line1")), "call-1", clock, reports::add, metrics);
    }

    /** Line loss in dB applied to the panel's signal, and white noise added at the receiver. */
    PhoneCall line(double loss, double noiseLevelDbm0, long seed) {
        this.lossDb = loss;
        this.noiseDbm0 = noiseLevelDbm0;
        this.random.setSeed(seed);
        return this;
    }

    /** Runs until both ends have finished or the time limit passes. */
    PhoneCall run(double maxSeconds) {
        short[] toPanel = new short[BLOCK];
        long limit = (long) (maxSeconds * 8000);
        while (time < limit && !(line.session().isEnded() && panel.isFinished())) {
            short[] fromPanel = panel.isFinished() ? new short[BLOCK] : panel.feed(toPanel);
            short[] atReceiver = new short[BLOCK];
            double gain = Math.pow(10, -lossDb / 20);
            double sigma = noiseDbm0 == Double.NEGATIVE_INFINITY ? 0
                    : ToneWriter.amplitude(noiseDbm0) / Math.sqrt(2);
            for (int i = 0; i < BLOCK; i++) {
                double v = muteToReceiver.test(time + i) ? 0 : fromPanel[i] * gain;
                atReceiver[i] = clamp(v + sigma * random.nextGaussian());
            }
            receiverInput.add(atReceiver);
            short[] fromReceiver = line.feed(atReceiver, time);
            // the line is noisy in both directions, and loses as much towards the panel
            toPanel = new short[BLOCK];
            for (int i = 0; i < BLOCK; i++) {
                toPanel[i] = clamp(fromReceiver[i] * gain + sigma * random.nextGaussian());
            }
            receiverOutput.add(fromReceiver);
            time += BLOCK;
            clock.set(clock.instant().plusMillis(20));
        }
        return this;
    }

    List<String> storedDigits() {
        List<String> out = new ArrayList<>();
        intake.events().forEach(e -> out.add(new String(e.raw(), java.nio.charset.StandardCharsets.US_ASCII)));
        return out;
    }

    short[] receiverAudio() {
        return join(receiverOutput);
    }

    /** @return what the receiver heard: the panel's signal after loss and noise */
    short[] panelAudioAtReceiver() {
        return join(receiverInput);
    }

    private static short[] join(List<short[]> blocks) {
        short[] all = new short[blocks.size() * BLOCK];
        for (int i = 0; i < blocks.size(); i++) {
            System.arraycopy(blocks.get(i), 0, all, i * BLOCK, BLOCK);
        }
        return all;
    }

    private static short clamp(double v) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
    }
}
