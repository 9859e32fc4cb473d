package org.arc4j.benchmarks.contactid;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.event.Qualifier;
import org.arc4j.protocols.contactid.ContactIdMessage;
import org.arc4j.protocols.contactid.ContactIdReceiverSession;
import org.arc4j.protocols.contactid.ContactIdTransmitterSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A whole Contact ID call on the receiver's side: handshake, DTMF detection, three messages, kissoffs and the
 * closing timeout, fed from a recording of a panel in 20 ms blocks. Real-time lines per core = the call's length
 * in seconds ({@link #callSeconds}) divided by the average time per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class ContactIdReceiverBenchmark {
    private static final int BLOCK = 160;
    private final List<short[]> panelAudio = new ArrayList<>();
    private final short[] out = new short[BLOCK];

    /** The length of the recorded call in seconds, printed at setup for the lines-per-core figure. */
    public double callSeconds;

    /** Records what a receiver hears from a panel reporting three messages. */
    @Setup(Level.Trial)
    public void record() {
        List<ContactIdMessage> messages = List.of(
                ContactIdMessage.of("1234", Qualifier.NEW_EVENT, "130", "01", "003"),
                ContactIdMessage.of("1234", Qualifier.RESTORE, "130", "01", "003"),
                ContactIdMessage.of("1234", Qualifier.NEW_EVENT, "602", "00", "000"));
        ContactIdTransmitterSession panel = new ContactIdTransmitterSession(
                ContactIdTransmitterSession.Settings.typical(), messages);
        ContactIdReceiverSession receiver = new ContactIdReceiverSession(ContactIdReceiverSession.Settings.dc05(),
                (s, m, t) -> s.receiptCompleted(m, true));
        short[] toPanel = new short[BLOCK];
        long t = 0;
        while (!receiver.isEnded() && t < 8000L * 120) {
            short[] fromPanel = panel.feed(toPanel);
            panelAudio.add(fromPanel);
            toPanel = receiver.feed(fromPanel, t);
            t += BLOCK;
        }
        if (receiver.report().messages().size() != messages.size()) {
            throw new IllegalStateException("recording failed: " + receiver.report());
        }
        callSeconds = t / 8000.0;
        System.out.printf("%nrecorded call: %.2f s%n", callSeconds);
    }

    /**
     * One call.
     *
     * @return messages received, so that the work is not eliminated
     */
    @Benchmark
    public int oneCall() {
        ContactIdReceiverSession s = new ContactIdReceiverSession(ContactIdReceiverSession.Settings.dc05(),
                (session, m, t) -> session.receiptCompleted(m, true));
        long t = 0;
        for (short[] block : panelAudio) {
            s.feed(block, 0, out, 0, BLOCK, t);
            t += BLOCK;
        }
        return s.report().messages().size();
    }
}
