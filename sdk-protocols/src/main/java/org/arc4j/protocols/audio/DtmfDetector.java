package org.arc4j.protocols.audio;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A streaming DTMF receiver for 8 kHz 16-bit linear audio, built to the operating requirements of ITU-T Q.24:
 * it accepts tones within ±1.5 % of the Q.23 frequencies and rejects those ±3.5 % off, accepts up to 8 dB normal
 * and 4 dB reverse twist, a minimum tone and pause of 40 ms, bridges interruptions of about 10 ms, and rejects
 * noise and speech.
 *
 * <h2>How it works</h2>
 * Eight Goertzel filters run over 8 ms sub-blocks (64 samples); two neighbouring sub-blocks make a 16 ms frame,
 * so a new frame is judged every 8 ms. A frame carries a key when
 * <ul>
 *   <li>the strongest row and column tones are each above the minimum level;</li>
 *   <li>the frequency of each, measured from the phase advance of its filter between consecutive frames, is
 *       within the tolerance (default ±2.5 %, half way between Q.24's accept and reject limits) — a precise
 *       measurement instead of a filter's skirt, which cannot tell 1.5 % from 3.5 % in 16 ms;</li>
 *   <li>the two tones, measured at their measured frequencies, hold most of the frame's power (default 75 %).
 *       This rejects noise and most speech, and also frames only partly covered by a tone, so that the frame
 *       count measures duration;</li>
 *   <li>the twist, measured with a Hann window at the measured frequencies (so that neither the offset nor the
 *       strong tone's leakage biases it), is within the normal and reverse limits;</li>
 *   <li>there is little power (10 dB below the weaker tone) at 2·row−column and 2·column−row: when voiced
 *       speech puts two harmonics of its pitch on a row and a column, harmonics sit there too.</li>
 * </ul>
 * A key is reported once its run of frames ends, if the run had at least the minimum number of frames; up to
 * {@code bridgeFrames} failing frames inside a run (a short interruption) do not end it.
 *
 * <p>Not thread-safe: one detector per line. Allocates nothing per sample or per frame.
 */
public final class DtmfDetector {
    /** The sample rate this detector works at. */
    public static final int SAMPLE_RATE = 8000;
    private static final int SUB = 64;
    private static final int FRAME = 2 * SUB;
    // what speech would put between and beside the two tones may hold at most this share of the weaker (-10 dB)
    private static final double SPEECH_LIMIT = 0.1;
    private static final double[] HANN = new double[FRAME];
    private static final double[] RECT = new double[FRAME];

    static {
        for (int i = 0; i < FRAME; i++) {
            HANN[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 0.5) / FRAME);
            RECT[i] = 1;
        }
    }

    /**
     * Detector thresholds. Defaults ({@link #q24()}) meet ITU-T Q.24.
     *
     * @param frequencyTolerance largest accepted frequency deviation, as a fraction (0.025 = 2.5 %)
     * @param maxNormalTwistDb   largest accepted normal twist (high group weaker), dB
     * @param maxReverseTwistDb  largest accepted reverse twist (high group stronger), dB
     * @param minToneDbm0        weakest accepted level of each tone, dBm0
     * @param minPurity          smallest share of a frame's power the two tones must hold, 0..1
     * @param minFrames          frames (8 ms apart) a tone must fill to count as a key
     * @param bridgeFrames       failing frames tolerated inside a tone before it counts as ended
     */
    public record Settings(double frequencyTolerance, double maxNormalTwistDb, double maxReverseTwistDb,
                           double minToneDbm0, double minPurity, int minFrames, int bridgeFrames) {
        /** Validates the ranges. */
        public Settings {
            if (frequencyTolerance <= 0 || frequencyTolerance > 0.06) {
                throw new IllegalArgumentException("frequency tolerance must be in (0, 0.06]");
            }
            if (minPurity <= 0 || minPurity > 1 || minFrames < 1 || bridgeFrames < 0) {
                throw new IllegalArgumentException("invalid purity or frame counts");
            }
        }

        /**
         * Thresholds for Q.24: ±2.5 % frequency, 10 dB normal and 6 dB reverse twist (2 dB margin over what must be
         * accepted), tones down to −42 dBm0, 75 % purity, 3 frames (tones of 40 ms always pass, tones of 20 ms never do; between the
         * two Q.24 leaves the decision open and it depends on how the tone falls on the 8 ms frames),
         * 3 bridged frames (a 10 ms interruption does not split a key, a 40 ms pause always does).
         *
         * @return the defaults
         */
        public static Settings q24() {
            return new Settings(0.025, 10.0, 6.0, -42.0, 0.75, 3, 3);
        }

        /** @param v the tolerance @return a copy with it */
        public Settings withFrequencyTolerance(double v) {
            return new Settings(v, maxNormalTwistDb, maxReverseTwistDb, minToneDbm0, minPurity, minFrames,
                    bridgeFrames);
        }

        /** @param v the minimum level @return a copy with it */
        public Settings withMinToneDbm0(double v) {
            return new Settings(frequencyTolerance, maxNormalTwistDb, maxReverseTwistDb, v, minPurity, minFrames,
                    bridgeFrames);
        }
    }

    private enum State { IDLE, TONE }

    private final Settings settings;
    private final Consumer<DtmfDigit> listener;

    // per-frequency constants: 0..3 rows, 4..7 columns
    private final double[] freq = new double[8];
    private final double[] coef = new double[8];
    private final double[] cosW = new double[8];
    private final double[] sinW = new double[8];
    private final double[] rot63Re = new double[8];
    private final double[] rot63Im = new double[8];
    private final double[] rot64Re = new double[8];
    private final double[] rot64Im = new double[8];
    private final double[] advance = new double[8];

    // Goertzel state of the sub-block being filled
    private final double[] s1 = new double[8];
    private final double[] s2 = new double[8];
    private double energy;
    private int filled;
    // the last FRAME samples, for the harmonic check of candidate frames
    private final short[] ring = new short[FRAME];
    private int ringPos;

    // the previous sub-block's DFT and energy, and the previous frame's DFT
    private final double[] subRe = new double[8];
    private final double[] subIm = new double[8];
    private double subEnergy;
    private boolean haveSub;
    private final double[] frameRe = new double[8];
    private final double[] frameIm = new double[8];
    private final double[] curRe = new double[8];
    private final double[] curIm = new double[8];
    private boolean haveFrame;

    private final double minTonePower;
    private final double normalTwist;
    private final double reverseTwist;

    private long position;
    private State state = State.IDLE;
    private char runKey;
    private int runFrames;
    private int misses;
    private long runStart;
    private long runEnd;
    private double runPeak;
    private double runLow;
    private double runHigh;
    // the strongest levels of the frame just classified, taken into the run's peak by step()
    private double runPeakCandidate;
    private double candLow;
    private double candHigh;

    /**
     * A detector with the Q.24 defaults.
     *
     * @param listener told of each key, on the calling thread of {@link #process}
     */
    public DtmfDetector(Consumer<DtmfDigit> listener) {
        this(Settings.q24(), listener);
    }

    /**
     * A detector with explicit thresholds.
     *
     * @param settings the thresholds
     * @param listener told of each key, on the calling thread of {@link #process}
     */
    public DtmfDetector(Settings settings, Consumer<DtmfDigit> listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        for (int i = 0; i < 8; i++) {
            freq[i] = i < 4 ? Dtmf.ROWS[i] : Dtmf.COLUMNS[i - 4];
            double w = 2 * Math.PI * freq[i] / SAMPLE_RATE;
            coef[i] = 2 * Math.cos(w);
            cosW[i] = Math.cos(w);
            sinW[i] = Math.sin(w);
            rot63Re[i] = Math.cos(-w * (SUB - 1));
            rot63Im[i] = Math.sin(-w * (SUB - 1));
            rot64Re[i] = Math.cos(-w * SUB);
            rot64Im[i] = Math.sin(-w * SUB);
            advance[i] = w * SUB;
        }
        double a = ToneWriter.amplitude(settings.minToneDbm0());
        this.minTonePower = a * a / 2;
        this.normalTwist = Math.pow(10, settings.maxNormalTwistDb() / 10);
        this.reverseTwist = Math.pow(10, settings.maxReverseTwistDb() / 10);
    }

    /** @return the thresholds */
    public Settings settings() {
        return settings;
    }

    /** @return the number of samples processed so far: the stream index of the next sample */
    public long position() {
        return position;
    }

    /** @return true while a tone that may become a key is being heard */
    public boolean toneActive() {
        return state == State.TONE;
    }

    /**
     * Processes samples; keys are reported to the listener as their tones end.
     *
     * @param samples 16-bit linear samples at 8 kHz
     * @param off     first sample
     * @param len     number of samples
     */
    public void process(short[] samples, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end) {
            int n = Math.min(SUB - filled, end - i);
            filter(samples, i, n);
            i += n;
            filled += n;
            position += n;
            if (filled == SUB) {
                subBlockDone();
                filled = 0;
            }
        }
    }

    /** Ends the stream: a key still sounding is reported if it is long enough, and the detector is reset. */
    public void flush() {
        endRun();
        haveSub = false;
        haveFrame = false;
        filled = 0;
        energy = 0;
        Arrays.fill(s1, 0);
        Arrays.fill(s2, 0);
    }

    private void filter(short[] x, int from, int n) {
        // unrolled into locals so that the JIT keeps all sixteen filter states in registers
        double c0 = coef[0], c1 = coef[1], c2 = coef[2], c3 = coef[3];
        double c4 = coef[4], c5 = coef[5], c6 = coef[6], c7 = coef[7];
        double a0 = s1[0], a1 = s1[1], a2 = s1[2], a3 = s1[3], a4 = s1[4], a5 = s1[5], a6 = s1[6], a7 = s1[7];
        double b0 = s2[0], b1 = s2[1], b2 = s2[2], b3 = s2[3], b4 = s2[4], b5 = s2[5], b6 = s2[6], b7 = s2[7];
        double e = energy;
        short[] r = ring;
        int rp = ringPos;
        for (int k = from, to = from + n; k < to; k++) {
            double v = x[k];
            r[rp] = x[k];
            rp = (rp + 1) & (FRAME - 1);
            e += v * v;
            double t0 = v + c0 * a0 - b0; b0 = a0; a0 = t0;
            double t1 = v + c1 * a1 - b1; b1 = a1; a1 = t1;
            double t2 = v + c2 * a2 - b2; b2 = a2; a2 = t2;
            double t3 = v + c3 * a3 - b3; b3 = a3; a3 = t3;
            double t4 = v + c4 * a4 - b4; b4 = a4; a4 = t4;
            double t5 = v + c5 * a5 - b5; b5 = a5; a5 = t5;
            double t6 = v + c6 * a6 - b6; b6 = a6; a6 = t6;
            double t7 = v + c7 * a7 - b7; b7 = a7; a7 = t7;
        }
        s1[0] = a0; s1[1] = a1; s1[2] = a2; s1[3] = a3; s1[4] = a4; s1[5] = a5; s1[6] = a6; s1[7] = a7;
        s2[0] = b0; s2[1] = b1; s2[2] = b2; s2[3] = b3; s2[4] = b4; s2[5] = b5; s2[6] = b6; s2[7] = b7;
        energy = e;
        ringPos = rp;
    }

    private void subBlockDone() {
        double frameEnergy = subEnergy + energy;
        boolean frameReady = haveSub;
        for (int f = 0; f < 8; f++) {
            // y = s1 - e^{-jw} s2 is e^{jw(N-1)} X; rotate back to the DFT of this sub-block
            double yRe = s1[f] - cosW[f] * s2[f];
            double yIm = sinW[f] * s2[f];
            double xRe = yRe * rot63Re[f] - yIm * rot63Im[f];
            double xIm = yRe * rot63Im[f] + yIm * rot63Re[f];
            if (frameReady) {
                // frame = previous sub-block + this one shifted by 64 samples
                curRe[f] = subRe[f] + xRe * rot64Re[f] - xIm * rot64Im[f];
                curIm[f] = subIm[f] + xRe * rot64Im[f] + xIm * rot64Re[f];
            }
            subRe[f] = xRe;
            subIm[f] = xIm;
            s1[f] = 0;
            s2[f] = 0;
        }
        subEnergy = energy;
        energy = 0;
        haveSub = true;
        if (frameReady) {
            char key = haveFrame ? classify(frameEnergy / FRAME) : 0;
            for (int f = 0; f < 8; f++) {
                frameRe[f] = curRe[f];
                frameIm[f] = curIm[f];
            }
            haveFrame = true;
            step(key);
        }
    }

    private double power(int f) {
        double re = curRe[f];
        double im = curIm[f];
        // mean power of a sine whose frame DFT is X: 2|X|^2 / N^2
        return 2 * (re * re + im * im) / ((double) FRAME * FRAME);
    }

    private double deviationHz(int f) {
        double re = curRe[f] * frameRe[f] + curIm[f] * frameIm[f];
        double im = curIm[f] * frameRe[f] - curRe[f] * frameIm[f];
        double d = Math.atan2(im, re) - advance[f];
        d -= 2 * Math.PI * Math.floor((d + Math.PI) / (2 * Math.PI));
        return d * SAMPLE_RATE / (2 * Math.PI * SUB);
    }

    private double power(double hz, double[] window) {
        // mean power of a sine at hz over the last frame, through the given window
        double w = 2 * Math.PI * Math.abs(hz) / SAMPLE_RATE;
        double c = 2 * Math.cos(w);
        double a = 0;
        double b = 0;
        for (int i = 0; i < FRAME; i++) {
            double t = ring[(ringPos + i) & (FRAME - 1)] * window[i] + c * a - b;
            b = a;
            a = t;
        }
        return 2 * (a * a + b * b - c * a * b) / ((double) FRAME * FRAME);
    }

    private char classify(double meanPower) {
        if (meanPower < minTonePower) {
            return 0;
        }
        int row = 0;
        double pRow = power(0);
        for (int f = 1; f < 4; f++) {
            double p = power(f);
            if (p > pRow) {
                pRow = p;
                row = f;
            }
        }
        int col = 4;
        double pCol = power(4);
        for (int f = 5; f < 8; f++) {
            double p = power(f);
            if (p > pCol) {
                pCol = p;
                col = f;
            }
        }
        if (pRow < minTonePower || pCol < minTonePower) {
            return 0;
        }
        double dRow = deviationHz(row);
        double dCol = deviationHz(col);
        double tol = settings.frequencyTolerance();
        if (Math.abs(dRow) > tol * freq[row] || Math.abs(dCol) > tol * freq[col]) {
            return 0;
        }
        // cheap screen on the filter bank's levels, which lose up to about 2 dB at a 1.5 % offset
        if (pRow + pCol < 0.5 * settings.minPurity() * meanPower) {
            return 0;
        }
        double fr = freq[row] + dRow;
        double fc = freq[col] + dCol;
        // exact levels at the measured frequencies over this frame: a tone covering only part of the frame holds
        // only that part of its power, so purity also measures how much of the frame the tone fills
        double rRow = power(fr, RECT);
        double rCol = power(fc, RECT);
        if (rRow + rCol < settings.minPurity() * meanPower) {
            return 0;
        }
        // twist from Hann-windowed levels at the measured frequencies: the strong tone's leakage into the weak
        // one's rectangular-window bin would otherwise move the measurement by up to 2 dB
        double hr = power(fr, HANN);
        double hc = power(fc, HANN);
        if (hr >= hc ? hr > hc * normalTwist : hc > hr * reverseTwist) {
            return 0;
        }
        // Voiced speech that puts two harmonics m*f0 and n*f0 on a row and a column also has harmonics at
        // (2m-n)*f0 and (2n-m)*f0, that is at 2*row-column and 2*column-row; a DTMF signal has nothing there.
        double weaker = Math.min(hr, hc);
        if (power(2 * fr - fc, HANN) > weaker * SPEECH_LIMIT || power(2 * fc - fr, HANN) > weaker * SPEECH_LIMIT) {
            return 0;
        }
        if (rRow + rCol > runPeakCandidate) {
            runPeakCandidate = rRow + rCol;
            candLow = rRow;
            candHigh = rCol;
        }
        return Dtmf.key(row, col - 4);
    }

    private void step(char key) {
        long frameEnd = position;
        long frameStart = position - FRAME;
        switch (state) {
            case IDLE:
                if (key != 0) {
                    startRun(key, frameStart, frameEnd);
                } else {
                    runPeakCandidate = 0;
                }
                break;
            case TONE:
                if (key == runKey) {
                    runFrames++;
                    misses = 0;
                    runEnd = frameEnd;
                    takePeak();
                } else if (key != 0) {
                    endRun();
                    startRun(key, frameStart, frameEnd);
                } else {
                    runPeakCandidate = 0;
                    if (++misses > settings.bridgeFrames()) {
                        endRun();
                    }
                }
                break;
            default:
                throw new IllegalStateException(state.name());
        }
    }

    private void startRun(char key, long start, long end) {
        state = State.TONE;
        runKey = key;
        runFrames = 1;
        misses = 0;
        runStart = start;
        runEnd = end;
        runPeak = 0;
        takePeak();
    }

    private void takePeak() {
        if (runPeakCandidate > runPeak) {
            runPeak = runPeakCandidate;
            runLow = candLow;
            runHigh = candHigh;
        }
        runPeakCandidate = 0;
    }

    private void endRun() {
        if (state == State.TONE && runFrames >= settings.minFrames()) {
            listener.accept(new DtmfDigit(runKey, runStart, runEnd, dbm0(runLow), dbm0(runHigh)));
        }
        state = State.IDLE;
        runFrames = 0;
        misses = 0;
    }

    private static double dbm0(double meanPower) {
        double amp = Math.sqrt(2 * meanPower);
        return 20 * Math.log10(Math.max(amp, 1e-9) / 32767.0) + ToneWriter.FULL_SCALE_DBM0;
    }
}
