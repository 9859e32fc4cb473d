package org.arc4j.protocols.audio;

import java.util.Arrays;
import java.util.Objects;

/**
 * Detects single-frequency signalling tones in 8 kHz 16-bit audio — the 1400 Hz and 2300 Hz handshake and the
 * 1400 Hz kissoff of Ademco Contact ID (SIA DC-05) — and reports each as a segment with its start and end.
 *
 * <p>It uses the same framing as {@link DtmfDetector} (Goertzel over 8 ms sub-blocks, 16 ms frames judged every
 * 8 ms, frequency measured from the phase advance between frames): a frame carries a tone when the tone holds most
 * of the frame's power, is within the frequency tolerance and above the minimum level. A run of such frames, with
 * short interruptions bridged, is one tone.
 *
 * <p>Not thread-safe: one detector per line.
 */
public final class ToneDetector {
    private static final int RATE = 8000;
    private static final int SUB = 64;
    private static final int FRAME = 2 * SUB;

    /**
     * One tone heard.
     *
     * @param frequency   the nominal frequency it matched, Hz
     * @param startSample the stream index where its first frame began
     * @param endSample   the stream index one past its last frame
     */
    public record Tone(double frequency, long startSample, long endSample) {
        /** @return its length in samples */
        public long length() {
            return endSample - startSample;
        }
    }

    /** Receives tones as they end. */
    @FunctionalInterface
    public interface Listener {
        /**
         * A tone ended.
         *
         * @param tone the tone
         */
        void toneEnded(Tone tone);
    }

    private final double[] freq;
    private final double[] coef;
    private final double[] cosW;
    private final double[] sinW;
    private final double[] advance;
    private final double[] rot63Re;
    private final double[] rot63Im;
    private final double[] rot64Re;
    private final double[] rot64Im;
    private final double[] s1;
    private final double[] s2;
    private final double[] subRe;
    private final double[] subIm;
    private final double[] prevRe;
    private final double[] prevIm;
    private final double[] curRe;
    private final double[] curIm;
    private final long[] runStart;
    private final long[] runEnd;
    private final int[] runFrames;
    private final int[] misses;
    private final double tolerance;
    private final double minPower;
    private final double minPurity;
    private final int minFrames;
    private final int bridge;
    private final Listener listener;
    private double energy;
    private double subEnergy;
    private int filled;
    private int subs;
    private long position;

    /**
     * A detector for the given frequencies with tolerance ±3 %, minimum level −42 dBm0, 60 % purity, 3 frames
     * minimum and 3 bridged frames.
     *
     * @param listener    told of tones as they end
     * @param frequencies the nominal frequencies, Hz, below 4000
     */
    public ToneDetector(Listener listener, double... frequencies) {
        this(0.03, -42, 0.6, 3, 3, listener, frequencies);
    }

    /**
     * A detector with explicit thresholds.
     *
     * @param tolerance   largest accepted frequency deviation, fraction
     * @param minDbm0     weakest accepted level, dBm0
     * @param minPurity   smallest share of a frame's power the tone must hold
     * @param minFrames   frames (8 ms apart) a tone must fill
     * @param bridge      failing frames tolerated inside a tone
     * @param listener    told of tones as they end
     * @param frequencies the nominal frequencies, Hz
     */
    public ToneDetector(double tolerance, double minDbm0, double minPurity, int minFrames, int bridge,
                        Listener listener, double... frequencies) {
        this.listener = Objects.requireNonNull(listener, "listener");
        int n = frequencies.length;
        if (n == 0) {
            throw new IllegalArgumentException("no frequencies");
        }
        freq = frequencies.clone();
        coef = new double[n];
        cosW = new double[n];
        sinW = new double[n];
        advance = new double[n];
        rot63Re = new double[n];
        rot63Im = new double[n];
        rot64Re = new double[n];
        rot64Im = new double[n];
        s1 = new double[n];
        s2 = new double[n];
        subRe = new double[n];
        subIm = new double[n];
        prevRe = new double[n];
        prevIm = new double[n];
        curRe = new double[n];
        curIm = new double[n];
        runStart = new long[n];
        runEnd = new long[n];
        runFrames = new int[n];
        misses = new int[n];
        for (int i = 0; i < n; i++) {
            if (freq[i] <= 0 || freq[i] >= RATE / 2.0) {
                throw new IllegalArgumentException("frequency out of range: " + freq[i]);
            }
            double w = 2 * Math.PI * freq[i] / RATE;
            coef[i] = 2 * Math.cos(w);
            cosW[i] = Math.cos(w);
            sinW[i] = Math.sin(w);
            advance[i] = w * SUB;
            rot63Re[i] = Math.cos(-w * (SUB - 1));
            rot63Im[i] = Math.sin(-w * (SUB - 1));
            rot64Re[i] = Math.cos(-w * SUB);
            rot64Im[i] = Math.sin(-w * SUB);
        }
        this.tolerance = tolerance;
        double a = ToneWriter.amplitude(minDbm0);
        this.minPower = a * a / 2;
        this.minPurity = minPurity;
        this.minFrames = minFrames;
        this.bridge = bridge;
    }

    /** @return the stream index of the next sample */
    public long position() {
        return position;
    }

    /**
     * How long a tone has been sounding, if it is sounding now.
     *
     * @param index the index of the frequency as given to the constructor
     * @return samples since its run began, or 0 when it is not sounding
     */
    public long sounding(int index) {
        return runFrames[index] > 0 && misses[index] == 0 ? position - runStart[index] : 0;
    }

    /**
     * Processes samples.
     *
     * @param samples 16-bit linear samples at 8 kHz
     * @param off     first sample
     * @param len     number of samples
     */
    public void process(short[] samples, int off, int len) {
        int n = freq.length;
        for (int i = off, end = off + len; i < end; i++) {
            double v = samples[i];
            energy += v * v;
            for (int f = 0; f < n; f++) {
                double t = v + coef[f] * s1[f] - s2[f];
                s2[f] = s1[f];
                s1[f] = t;
            }
            position++;
            if (++filled == SUB) {
                subBlockDone();
                filled = 0;
            }
        }
    }

    /** Ends the stream: tones still sounding are reported, and the detector is reset. */
    public void flush() {
        for (int f = 0; f < freq.length; f++) {
            end(f);
        }
        Arrays.fill(s1, 0);
        Arrays.fill(s2, 0);
        energy = 0;
        filled = 0;
        subs = 0;
    }

    private void subBlockDone() {
        double frameEnergy = (subEnergy + energy) / FRAME;
        subs++;
        for (int f = 0; f < freq.length; f++) {
            // y = s1 - e^{-jw} s2 is e^{jw(N-1)} X: rotate back, then add to the previous sub-block shifted by N
            double yRe = s1[f] - cosW[f] * s2[f];
            double yIm = sinW[f] * s2[f];
            double xRe = yRe * rot63Re[f] - yIm * rot63Im[f];
            double xIm = yRe * rot63Im[f] + yIm * rot63Re[f];
            double fRe = subRe[f] + xRe * rot64Re[f] - xIm * rot64Im[f];
            double fIm = subIm[f] + xRe * rot64Im[f] + xIm * rot64Re[f];
            subRe[f] = xRe;
            subIm[f] = xIm;
            s1[f] = 0;
            s2[f] = 0;
            prevRe[f] = curRe[f];
            prevIm[f] = curIm[f];
            curRe[f] = fRe;
            curIm[f] = fIm;
            boolean on = subs >= 3 && carries(f, frameEnergy);
            step(f, on);
        }
        subEnergy = energy;
        energy = 0;
    }

    private boolean carries(int f, double meanPower) {
        double p = 2 * (curRe[f] * curRe[f] + curIm[f] * curIm[f]) / ((double) FRAME * FRAME);
        if (p < minPower || p < minPurity * meanPower) {
            return false;
        }
        double re = curRe[f] * prevRe[f] + curIm[f] * prevIm[f];
        double im = curIm[f] * prevRe[f] - curRe[f] * prevIm[f];
        double d = Math.atan2(im, re) - advance[f];
        d -= 2 * Math.PI * Math.floor((d + Math.PI) / (2 * Math.PI));
        double hz = d * RATE / (2 * Math.PI * SUB);
        return Math.abs(hz) <= tolerance * freq[f];
    }

    private void step(int f, boolean on) {
        if (on) {
            if (runFrames[f] == 0) {
                runStart[f] = position - FRAME;
            }
            runFrames[f]++;
            runEnd[f] = position;
            misses[f] = 0;
        } else if (runFrames[f] > 0 && ++misses[f] > bridge) {
            end(f);
        }
    }

    private void end(int f) {
        if (runFrames[f] >= minFrames) {
            listener.toneEnded(new Tone(freq[f], runStart[f], runEnd[f]));
        }
        runFrames[f] = 0;
        misses[f] = 0;
    }
}
