package org.arc4j.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Writes a small JSON document (a record payload) to UTF-8 bytes through a buffer and a generator kept per
 * thread, so that the hot path allocates only the resulting array: neither a growing
 * {@code ByteArrayOutputStream} nor a new generator with its contexts each time. The bytes are exactly what a
 * {@link JsonFactory} generator writes to any stream. Thread-safe (buffer and generator are per thread) and
 * re-entrant (a nested call writes to a buffer and generator of its own). Internal to sdk-core: not exported.
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
        boolean written = false;
        try {
            JsonGenerator g = b.generator();
            body.write(g);
            if (!g.getOutputContext().inRoot()) {
                throw new IllegalStateException("the body left a JSON value unfinished");
            }
            g.flush();
            written = true;
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!written) {
                b.generator = null; // its state is unknown after a failure: the next document gets a new one
            }
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
        /** Writes into this buffer; one root value after another, without separators, flushed after each. */
        JsonGenerator generator;

        JsonGenerator generator() throws IOException {
            if (generator == null) {
                generator = FACTORY.createGenerator(this);
                generator.setRootValueSeparator(null);
            }
            return generator;
        }

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
