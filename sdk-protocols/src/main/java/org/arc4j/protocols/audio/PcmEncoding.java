package org.arc4j.protocols.audio;

import java.io.IOException;
import java.io.InputStream;

/**
 * The encodings of raw (headerless) 8 kHz telephone audio streams, as line cards, gateways and recorders deliver
 * them: 16-bit linear little- or big-endian, or one G.711 code per sample. Converts blocks of bytes to 16-bit linear
 * samples for the DTMF detector and the Contact ID sessions. Stateless.
 */
public enum PcmEncoding {
    /** Signed 16-bit linear, little-endian (Linux, Windows, most line cards). */
    LINEAR16_LE(2),
    /** Signed 16-bit linear, big-endian (network order). */
    LINEAR16_BE(2),
    /** G.711 µ-law. */
    ULAW(1),
    /** G.711 A-law. */
    ALAW(1);

    private final int bytesPerSample;

    PcmEncoding(int bytesPerSample) {
        this.bytesPerSample = bytesPerSample;
    }

    /** @return bytes per sample */
    public int bytesPerSample() {
        return bytesPerSample;
    }

    /**
     * Converts bytes to samples.
     *
     * @param in     the bytes
     * @param off    first byte
     * @param len    number of bytes (a trailing partial sample is ignored)
     * @param out    receives the samples
     * @param outOff first sample
     * @return the number of samples written
     */
    public int decode(byte[] in, int off, int len, short[] out, int outOff) {
        int n = len / bytesPerSample;
        switch (this) {
            case ULAW:
                G711.INSTANCE.decode(G711.Law.ULAW, in, off, out, outOff, n);
                break;
            case ALAW:
                G711.INSTANCE.decode(G711.Law.ALAW, in, off, out, outOff, n);
                break;
            case LINEAR16_LE:
                for (int i = 0; i < n; i++) {
                    out[outOff + i] = (short) ((in[off + 2 * i] & 0xFF) | (in[off + 2 * i + 1] << 8));
                }
                break;
            default:
                for (int i = 0; i < n; i++) {
                    out[outOff + i] = (short) ((in[off + 2 * i] << 8) | (in[off + 2 * i + 1] & 0xFF));
                }
                break;
        }
        return n;
    }

    /**
     * Reads a whole stream (not closed) into samples.
     *
     * @param in the stream
     * @return its samples
     * @throws IOException if it cannot be read
     */
    public short[] readAll(InputStream in) throws IOException {
        byte[] b = in.readAllBytes();
        short[] out = new short[b.length / bytesPerSample];
        decode(b, 0, b.length, out, 0);
        return out;
    }
}
