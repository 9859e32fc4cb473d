package org.arc4j.protocols.audio;

/**
 * One DTMF key detected in a stream of samples.
 *
 * @param key         the key: {@code 0}–{@code 9}, {@code *}, {@code #}, {@code A}–{@code D}
 * @param startSample the index, in the stream, of the first sample of the first frame that carried the tone
 * @param endSample   the index one past the last sample of the last frame that carried it
 * @param lowDbm0     the level of the low-group tone in the strongest frame, dBm0
 * @param highDbm0    the level of the high-group tone in the strongest frame, dBm0
 */
public record DtmfDigit(char key, long startSample, long endSample, double lowDbm0, double highDbm0) {
    /** @return the high-group level minus the low-group level, dB (negative is normal twist) */
    public double twistDb() {
        return highDbm0 - lowDbm0;
    }
}
