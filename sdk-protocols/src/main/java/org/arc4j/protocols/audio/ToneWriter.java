package org.arc4j.protocols.audio;

/**
 * Writes sine tones, DTMF keys and silence into 16-bit linear sample buffers, keeping the phase of each
 * oscillator continuous across calls so that long signals can be produced block by block.
 *
 * <p>Levels are in dBm0 as G.711 defines them: a sine of full 16-bit amplitude is +3.17 dBm0. DTMF keys are written
 * with a level per group so that twist (ITU-T Q.24: the level of the high group relative to the low group) and
 * frequency offsets can be set for tests and for transmitters that imitate real panels.
 *
 * <p>Not thread-safe: one writer per signal.
 */
public final class ToneWriter {
    /** The level of a full-scale sine, dBm0 (ITU-T G.711). */
    public static final double FULL_SCALE_DBM0 = 3.17;

    private final int sampleRate;
    private double phaseA;
    private double phaseB;

    /**
     * A writer at a sample rate.
     *
     * @param sampleRate samples per second, positive
     */
    public ToneWriter(int sampleRate) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive");
        }
        this.sampleRate = sampleRate;
    }

    /**
     * The peak amplitude of a sine at a level.
     *
     * @param dbm0 the level in dBm0
     * @return the amplitude in 16-bit sample units
     */
    public static double amplitude(double dbm0) {
        return 32767.0 * Math.pow(10, (dbm0 - FULL_SCALE_DBM0) / 20);
    }

    /** @return the sample rate */
    public int sampleRate() {
        return sampleRate;
    }

    /**
     * Adds one sine to a buffer (mixing with what is there, saturating at the 16-bit limits).
     *
     * @param out       the buffer
     * @param off       first sample
     * @param len       number of samples
     * @param frequency Hz
     * @param dbm0      level
     */
    public void sine(short[] out, int off, int len, double frequency, double dbm0) {
        double amp = amplitude(dbm0);
        double step = 2 * Math.PI * frequency / sampleRate;
        for (int i = 0; i < len; i++) {
            out[off + i] = saturate(out[off + i] + amp * Math.sin(phaseA));
            phaseA += step;
        }
        phaseA %= 2 * Math.PI;
    }

    /**
     * Adds a DTMF key to a buffer.
     *
     * @param out             the buffer
     * @param off             first sample
     * @param len             number of samples
     * @param key             the key
     * @param lowDbm0         the level of the low-group (row) tone
     * @param highDbm0        the level of the high-group (column) tone
     * @param frequencyFactor multiplies both frequencies (1.015 is a +1.5 % offset)
     */
    public void dtmf(short[] out, int off, int len, char key, double lowDbm0, double highDbm0,
                     double frequencyFactor) {
        double fa = Dtmf.ROWS[Dtmf.row(key)] * frequencyFactor;
        double fb = Dtmf.COLUMNS[Dtmf.column(key)] * frequencyFactor;
        double ampA = amplitude(lowDbm0);
        double ampB = amplitude(highDbm0);
        double stepA = 2 * Math.PI * fa / sampleRate;
        double stepB = 2 * Math.PI * fb / sampleRate;
        for (int i = 0; i < len; i++) {
            out[off + i] = saturate(out[off + i] + ampA * Math.sin(phaseA) + ampB * Math.sin(phaseB));
            phaseA += stepA;
            phaseB += stepB;
        }
        phaseA %= 2 * Math.PI;
        phaseB %= 2 * Math.PI;
    }

    /**
     * The number of samples in a duration.
     *
     * @param millis milliseconds
     * @return samples at this writer's rate
     */
    public int samples(double millis) {
        return (int) Math.round(millis * sampleRate / 1000.0);
    }

    static short saturate(double v) {
        long r = Math.round(v);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
    }
}
