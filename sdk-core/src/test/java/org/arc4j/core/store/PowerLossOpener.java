package org.arc4j.core.store;

import org.arc4j.core.testkit.ChannelOpener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ChannelOpener} that simulates a power loss: it remembers, per file, how many bytes were on disk at the
 * last {@code force}, and at the chosen crash point (the n-th write or force over all files) it throws away or
 * tears everything written since: the file keeps its forced bytes plus a random part of the unforced ones,
 * the rest either cut off or overwritten with garbage, as a disk that lost its cache. After the crash every
 * operation fails, as on a machine that has lost power.
 */
final class PowerLossOpener implements ChannelOpener {
    /** What happens to the unforced bytes at the crash. */
    enum Tear {
        /** All of them are lost. */
        DROP_ALL,
        /** A random prefix survives; the rest is cut or overwritten with garbage. */
        RANDOM
    }

    private final Random random;
    private volatile int crashAt;
    private final Tear tear;
    private final AtomicInteger operations = new AtomicInteger();
    private final Map<Path, Long> forced = new ConcurrentHashMap<>();
    private volatile boolean crashed;

    PowerLossOpener(long seed, int crashAt, Tear tear) {
        this.random = new Random(seed);
        this.crashAt = crashAt;
        this.tear = tear;
    }

    /** Moves the crash point to {@code n} operations from now. */
    void crashAfter(int n) {
        crashAt = operations.get() + n;
    }

    boolean crashed() {
        return crashed;
    }

    @Override
    public FileChannel open(Path path, OpenOption... options) throws IOException {
        if (crashed) {
            throw new IOException("power lost");
        }
        FileChannel ch = FileChannel.open(path, options);
        forced.putIfAbsent(path, ch.size());
        for (OpenOption o : options) {
            if (o == StandardOpenOption.TRUNCATE_EXISTING) {
                forced.put(path, 0L);
            }
        }
        return new Faulty(path, ch);
    }

    private synchronized void tick() throws IOException {
        if (crashed) {
            throw new IOException("power lost");
        }
        if (operations.incrementAndGet() >= crashAt) {
            crash();
            throw new IOException("power lost");
        }
    }

    private void crash() throws IOException {
        crashed = true;
        for (Map.Entry<Path, Long> e : forced.entrySet()) {
            try (FileChannel raw = FileChannel.open(e.getKey(), StandardOpenOption.WRITE)) {
                long size = raw.size();
                long durable = Math.min(e.getValue(), size);
                if (size == durable) {
                    continue;
                }
                long keep = tear == Tear.DROP_ALL ? durable : durable + (long) (random.nextDouble() * (size - durable));
                if (tear == Tear.RANDOM && random.nextBoolean()) {
                    byte[] garbage = new byte[(int) (size - keep)];
                    random.nextBytes(garbage);
                    if (random.nextBoolean()) {
                        java.util.Arrays.fill(garbage, (byte) 0);
                    }
                    raw.write(ByteBuffer.wrap(garbage), keep);
                } else {
                    raw.truncate(keep);
                }
                raw.force(true);
            } catch (java.nio.file.NoSuchFileException gone) {
                // deleted since it was opened
            }
        }
    }

    private final class Faulty extends FileChannel {
        private final Path path;
        private final FileChannel d;

        Faulty(Path path, FileChannel d) {
            this.path = path;
            this.d = d;
        }

        private void alive() throws IOException {
            if (crashed) {
                throw new IOException("power lost");
            }
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            alive();
            return d.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            alive();
            return d.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            synchronized (PowerLossOpener.this) {
                tick();
                return d.write(src);
            }
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            synchronized (PowerLossOpener.this) {
                tick();
                return d.write(srcs, offset, length);
            }
        }

        @Override
        public long position() throws IOException {
            return d.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            d.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return d.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            synchronized (PowerLossOpener.this) {
                tick();
                d.truncate(size);
                return this;
            }
        }

        // the crash cannot fall inside a force or a write: a force that returned had made its bytes durable, and
        // nothing is written after the power is gone
        @Override
        public void force(boolean metaData) throws IOException {
            synchronized (PowerLossOpener.this) {
                tick();
                d.force(metaData);
                forced.put(path, d.size());
            }
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            alive();
            return d.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            synchronized (PowerLossOpener.this) {
                tick();
                return d.transferFrom(src, position, count);
            }
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            alive();
            return d.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            synchronized (PowerLossOpener.this) {
                tick();
                return d.write(src, position);
            }
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            throw new UnsupportedOperationException("the journal does not map files");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return d.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return d.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            d.close();
        }
    }
}
