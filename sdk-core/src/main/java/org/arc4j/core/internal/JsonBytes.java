package org.arc4j.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Writes a small JSON document (a record payload) to UTF-8 bytes through a buffer kept per thread, so that the
 * hot path allocates the resulting array and the generator, not a growing {@code ByteArrayOutputStream} each
 * time (Jackson already recycles the generator's own buffers per thread). The bytes are exactly what a
 * {@link JsonFactory} generator writes to any stream. Thread-safe (the buffer is per thread) and re-entrant (a
 * nested call writes to a buffer of its own). Internal to sdk-core: not exported.
 */
public final class JsonBytes {
    /** What to write: one JSON value. */
    @FunctionalInterface
    public interface Body {
        /**
         * Writes the document.
         *
         * @param g the generator
         * @throws IOException from the generator
         */
        void write(JsonGenerator g) throws IOException;
    }

    private static final JsonFactory FACTORY = new JsonFactory();
    /** A buffer grown beyond this by an unusually large document is dropped rather than kept for the thread. */
    private static final int KEEP = 64 * 1024;
    private static final ThreadLocal<Buffer> BUFFER = ThreadLocal.withInitial(Buffer::new);

    private JsonBytes() {
    }

    /**
     * Writes one document.
     *
     * @param body what to write
     * @return the UTF-8 JSON bytes, a new array the caller owns
     * @throws UncheckedIOException if the body throws an {@link IOException}
     */
    public static byte[] write(Body body) {
        Buffer b = BUFFER.get();
        if (b.inUse) {
            b = new Buffer();
        }
        b.inUse = true;
        try {
            try (JsonGenerator g = FACTORY.createGenerator(b)) {
                body.write(g);
            }
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            b.count = 0;
            b.inUse = false;
            if (b.buf.length > KEEP) {
                b.buf = new byte[Buffer.INITIAL];
            }
        }
    }

    /** An unsynchronised byte sink: used by one thread at a time. */
    private static final class Buffer extends OutputStream {
        static final int INITIAL = 1024;
        byte[] buf = new byte[INITIAL];
        int count;
        boolean inUse;

        @Override
        public void write(int x) {
            ensure(1);
            buf[count++] = (byte) x;
        }

        @Override
        public void write(byte[] src, int off, int len) {
            ensure(len);
            System.arraycopy(src, off, buf, count, len);
            count += len;
        }

        private void ensure(int more) {
            if (count + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, count);
        }
    }
}
