package org.arc4j.protocols.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The single-tone detector on the Contact ID handshake and kissoff. */
class ToneDetectorTest {
    private static List<ToneDetector.Tone> detect(short[] s) {
        List<ToneDetector.Tone> out = new ArrayList<>();
        ToneDetector d = new ToneDetector(out::add, 1400, 2300);
        for (int i = 0; i < s.length; i += 160) {
            d.process(s, i, Math.min(160, s.length - i));
        }
        d.flush();
        return out;
    }

    @Test
    void findsTheHandshakeAndTheKissoffWithTheirTimes() {
        ToneWriter w = new ToneWriter(8000);
        short[] s = new short[8000 * 3];
        w.sine(s, 800, 800, 1400, -9);       // 100 ms at 0.1 s
        w.sine(s, 2400, 800, 2300, -9);      // 100 ms at 0.3 s
        w.sine(s, 8000, 7200, 1400, -20);    // 900 ms kissoff at 1 s
        Signals.addNoise(s, Math.pow(ToneWriter.amplitude(-20), 2) / 2, 15, 5);
        List<ToneDetector.Tone> t = detect(s);
        assertThat(t).extracting(ToneDetector.Tone::frequency).containsExactly(1400.0, 2300.0, 1400.0);
        assertThat(t.get(0).startSample()).isBetween(700L, 800L);
        assertThat(t.get(0).length()).isBetween(700L, 900L);
        assertThat(t.get(1).startSample()).isBetween(2300L, 2400L);
        assertThat(t.get(2).length()).isBetween(7100L, 7300L);
    }

    @Test
    void ignoresOtherFrequenciesDtmfAndNoise() {
        ToneWriter w = new ToneWriter(8000);
        short[] s = new short[8000 * 2];
        w.sine(s, 0, 4000, 1500, -9);        // 7 % off 1400 Hz
        w.dtmf(s, 8000, 4000, '5', -9, -9, 1.0);
        Signals.addNoise(s, Math.pow(ToneWriter.amplitude(-9), 2) / 2, 10, 6);
        assertThat(detect(s)).isEmpty();
    }
}
