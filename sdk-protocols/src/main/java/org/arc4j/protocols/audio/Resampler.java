package org.arc4j.protocols.audio;

/**
 * Changes the sample rate of 16-bit audio by band-limited interpolation: each output sample is a windowed-sinc
 * (Blackman window) sum of the input around its position, with the cut-off at 90 % of the lower Nyquist
 * frequency, so that downsampling (for example 44.1 kHz recordings to the 8 kHz of the telephone network)
 * does not fold high frequencies into the DTMF band.
 *
 * <p>Stateless; thread-safe. Meant for files and test signals, not for a real-time path.
 */
public final class Resampler {
    private static final int ZERO_CROSSINGS = 16;

    private Resampler() {
    }

    /**
     * Resamples a signal.
     *
     * @param in   the samples
     * @param from their rate
     * @param to   the rate wanted
     * @return the resampled signal (the same array when the rates are equal)
     */
    public static short[] resample(short[] in, int from, int to) {
        if (from <= 0 || to <= 0) {
            throw new IllegalArgumentException("rates must be positive");
        }
        if (from == to) {
            return in;
        }
        int outLen = (int) ((long) in.length * to / from);
        short[] out = new short[outLen];
        double fc = 0.9 * Math.min(1.0, (double) to / from);
        double halfWidth = ZERO_CROSSINGS / fc;
        double step = (double) from / to;
        for (int n = 0; n < outLen; n++) {
            double t = n * step;
            int lo = (int) Math.ceil(t - halfWidth);
            int hi = (int) Math.floor(t + halfWidth);
            double acc = 0;
            for (int k = Math.max(lo, 0); k <= Math.min(hi, in.length - 1); k++) {
                double d = t - k;
                acc += in[k] * fc * sinc(fc * d) * blackman(d / halfWidth);
            }
            out[n] = ToneWriter.saturate(acc);
        }
        return out;
    }

    private static double sinc(double x) {
        if (Math.abs(x) < 1e-12) {
            return 1;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    private static double blackman(double u) {
        // u in [-1, 1] across the window
        if (Math.abs(u) >= 1) {
            return 0;
        }
        double a = Math.PI * (u + 1);
        return 0.42 - 0.5 * Math.cos(a) + 0.08 * Math.cos(2 * a);
    }
}
