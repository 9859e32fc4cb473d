package org.arc4j.protocols.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads and writes RIFF WAVE files (Microsoft/IBM multimedia format): integer PCM of 8, 16, 24 and 32 bits,
 * IEEE float of 32 and 64 bits, G.711 A-law (format 6) and µ-law (format 7), also inside
 * {@code WAVE_FORMAT_EXTENSIBLE}. Channels are mixed down to one and samples converted to 16-bit linear; use
 * {@link Resampler} to bring them to 8 kHz. Writes 16-bit PCM or G.711.
 *
 * <p>Stateless; thread-safe.
 */
public final class WavFile {
    /** The most bytes of audio data read (about 30 minutes of 16-bit stereo at 48 kHz). */
    public static final int MAX_DATA_BYTES = 512 * 1024 * 1024;

    private WavFile() {
    }

    /**
     * Mono 16-bit audio.
     *
     * @param sampleRate samples per second
     * @param samples    the samples
     */
    public record Audio(int sampleRate, short[] samples) {
        /** Validates the parts. */
        public Audio {
            Objects.requireNonNull(samples, "samples");
            if (sampleRate <= 0) {
                throw new IllegalArgumentException("sample rate must be positive");
            }
        }

        /** @return the duration in seconds */
        public double seconds() {
            return samples.length / (double) sampleRate;
        }
    }

    /**
     * Reads a file.
     *
     * @param file the file
     * @return its audio, mono
     * @throws IOException if it cannot be read or is not a WAVE file of a supported format
     */
    public static Audio read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    /**
     * Reads a WAVE stream to its end (the stream is not closed).
     *
     * @param in the stream
     * @return its audio, mono
     * @throws IOException if it cannot be read or is not a WAVE file of a supported format
     */
    public static Audio read(InputStream in) throws IOException {
        byte[] header = in.readNBytes(12);
        if (header.length < 12 || !ascii(header, 0, "RIFF") || !ascii(header, 8, "WAVE")) {
            throw new IOException("not a RIFF WAVE file");
        }
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int blockAlign = 0;
        while (true) {
            byte[] ch = in.readNBytes(8);
            if (ch.length < 8) {
                throw new IOException("no data chunk");
            }
            long size = ByteBuffer.wrap(ch, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
            if (ascii(ch, 0, "fmt ")) {
                if (size < 16 || size > 1024) {
                    throw new IOException("bad fmt chunk size " + size);
                }
                ByteBuffer f = ByteBuffer.wrap(readExactly(in, (int) size)).order(ByteOrder.LITTLE_ENDIAN);
                format = f.getShort(0) & 0xFFFF;
                channels = f.getShort(2) & 0xFFFF;
                rate = f.getInt(4);
                blockAlign = f.getShort(12) & 0xFFFF;
                bits = f.getShort(14) & 0xFFFF;
                if (format == 0xFFFE && size >= 26) {
                    format = f.getShort(24) & 0xFFFF;
                }
                skip(in, size & 1);
            } else if (ascii(ch, 0, "data")) {
                if (format < 0) {
                    throw new IOException("data chunk before fmt chunk");
                }
                if (channels < 1 || rate <= 0 || blockAlign < 1) {
                    throw new IOException("bad fmt: " + channels + " channels, " + rate + " Hz");
                }
                // streams written on the fly put 0 or 0xFFFFFFFF here: read to the end then
                byte[] data = size == 0 || size == 0xFFFFFFFFL ? readAll(in)
                        : readUpTo(in, (int) Math.min(size, MAX_DATA_BYTES));
                return new Audio(rate, decode(data, format, channels, bits, blockAlign));
            } else {
                if (size > MAX_DATA_BYTES) {
                    throw new IOException("chunk too large");
                }
                skip(in, size + (size & 1));
            }
        }
    }

    private static short[] decode(byte[] data, int format, int channels, int bits, int blockAlign)
            throws IOException {
        int frames = data.length / blockAlign;
        int bytes = blockAlign / channels;
        short[] out = new short[frames];
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                int at = i * blockAlign + c * bytes;
                sum += sample(b, at, format, bits, bytes);
            }
            out[i] = ToneWriter.saturate(sum / channels);
        }
        return out;
    }

    private static double sample(ByteBuffer b, int at, int format, int bits, int bytes) throws IOException {
        switch (format) {
            case 1:
                switch (bytes) {
                    case 1: return ((b.get(at) & 0xFF) - 128) << 8;
                    case 2: return b.getShort(at);
                    case 3: return ((b.get(at + 2) << 16) | ((b.get(at + 1) & 0xFF) << 8) | (b.get(at) & 0xFF)) / 256.0;
                    case 4: return b.getInt(at) / 65536.0;
                    default: throw new IOException("unsupported PCM sample size " + bits);
                }
            case 3:
                if (bytes == 4) {
                    return b.getFloat(at) * 32767.0;
                }
                if (bytes == 8) {
                    return b.getDouble(at) * 32767.0;
                }
                throw new IOException("unsupported float sample size " + bits);
            case 6:
                return G711.INSTANCE.alawToLinear(b.get(at));
            case 7:
                return G711.INSTANCE.ulawToLinear(b.get(at));
            default:
                throw new IOException("unsupported WAVE format " + format);
        }
    }

    /**
     * Writes mono 16-bit PCM.
     *
     * @param file       the file
     * @param sampleRate samples per second
     * @param samples    the samples
     * @throws IOException if it cannot be written
     */
    public static void write(Path file, int sampleRate, short[] samples) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, sampleRate, samples);
        }
    }

    /**
     * Writes mono 16-bit PCM to a stream (not closed).
     *
     * @param out        the stream
     * @param sampleRate samples per second
     * @param samples    the samples
     * @throws IOException if it cannot be written
     */
    public static void write(OutputStream out, int sampleRate, short[] samples) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : samples) {
            data.putShort(s);
        }
        writeChunks(out, 1, sampleRate, 16, 2, data.array());
    }

    /**
     * Writes mono 8 kHz G.711.
     *
     * @param file  the file
     * @param law   µ-law (format 7) or A-law (format 6)
     * @param codes the G.711 codes
     * @throws IOException if it cannot be written
     */
    public static void writeG711(Path file, G711.Law law, byte[] codes) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            writeChunks(out, law == G711.Law.ULAW ? 7 : 6, 8000, 8, 1, codes);
        }
    }

    private static void writeChunks(OutputStream out, int format, int rate, int bits, int blockAlign, byte[] data)
            throws IOException {
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data.length + (data.length & 1))
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) format).putShort((short) 1).putInt(rate).putInt(rate * blockAlign)
                .putShort((short) blockAlign).putShort((short) bits)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data.length);
        out.write(h.array());
        out.write(data);
        if ((data.length & 1) != 0) {
            out.write(0);
        }
    }

    private static boolean ascii(byte[] b, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (b[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new IOException("truncated chunk");
        }
        return b;
    }

    private static byte[] readUpTo(InputStream in, int n) throws IOException {
        return in.readNBytes(n);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        for (int r; (r = in.read(buf)) > 0; ) {
            if (out.size() + r > MAX_DATA_BYTES) {
                throw new IOException("data larger than " + MAX_DATA_BYTES + " bytes");
            }
            out.write(buf, 0, r);
        }
        return out.toByteArray();
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new IOException("truncated file");
                }
                s = 1;
            }
            left -= s;
        }
    }
}
