package org.arc4j.protocols.audio;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test signals: DTMF sequences with chosen timing, levels, twist and offsets, and noise. */
public final class Signals {
    private Signals() {
    }

    /**
     * DTMF keys with silence around them.
     *
     * @param keys    the keys
     * @param toneMs  tone duration
     * @param pauseMs pause between tones (and before the first and after the last)
     * @param lowDbm0 low-group level
     * @param highDbm0 high-group level
     * @param factor  frequency factor
     * @return 8 kHz samples
     */
    public static short[] dtmf(String keys, double toneMs, double pauseMs, double lowDbm0, double highDbm0,
                               double factor) {
        ToneWriter w = new ToneWriter(8000);
        int tone = w.samples(toneMs);
        int pause = w.samples(pauseMs);
        short[] out = new short[pause + keys.length() * (tone + pause)];
        int at = pause;
        for (char k : keys.toCharArray()) {
            w.dtmf(out, at, tone, k, lowDbm0, highDbm0, factor);
            at += tone + pause;
        }
        return out;
    }

    /**
     * Adds white Gaussian noise at a signal-to-noise ratio measured against a reference power.
     *
     * @param samples   the signal, changed in place
     * @param refPower  the mean power the SNR refers to (e.g. the power of the tones while they sound)
     * @param snrDb     the ratio in dB
     * @param seed      the random seed
     */
    public static void addNoise(short[] samples, double refPower, double snrDb, long seed) {
        Random rnd = new Random(seed);
        double sigma = Math.sqrt(refPower / Math.pow(10, snrDb / 10));
        for (int i = 0; i < samples.length; i++) {
            samples[i] = ToneWriter.saturate(samples[i] + sigma * rnd.nextGaussian());
        }
    }

    /**
     * The mean power of a DTMF key while it sounds.
     *
     * @param lowDbm0  low-group level
     * @param highDbm0 high-group level
     * @return the mean power in 16-bit units squared
     */
    public static double dtmfPower(double lowDbm0, double highDbm0) {
        double a = ToneWriter.amplitude(lowDbm0);
        double b = ToneWriter.amplitude(highDbm0);
        return (a * a + b * b) / 2;
    }

    /**
     * Runs a detector over samples in blocks of odd sizes, as a line card would deliver them.
     *
     * @param settings thresholds
     * @param samples  8 kHz samples
     * @return the keys detected
     */
    public static List<DtmfDigit> detect(DtmfDetector.Settings settings, short[] samples) {
        List<DtmfDigit> out = new ArrayList<>();
        DtmfDetector d = new DtmfDetector(settings, out::add);
        int[] blocks = {160, 37, 1, 240, 80};
        int i = 0;
        int b = 0;
        while (i < samples.length) {
            int n = Math.min(blocks[b++ % blocks.length], samples.length - i);
            d.process(samples, i, n);
            i += n;
        }
        d.flush();
        return out;
    }

    /**
     * The keys of detected digits.
     *
     * @param digits digits
     * @return their keys in order
     */
    public static String keys(List<DtmfDigit> digits) {
        StringBuilder sb = new StringBuilder();
        digits.forEach(d -> sb.append(d.key()));
        return sb.toString();
    }
}
