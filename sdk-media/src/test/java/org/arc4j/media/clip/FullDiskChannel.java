package org.arc4j.media.clip;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A file channel on a disk that fills up after {@code capacity} bytes: writes beyond it fail as a full disk does
 * (ENOSPC), after writing what still fits, as the kernel does.
 */
final class FullDiskChannel extends FileChannel {
    private final FileChannel real;
    private final long capacity;

    FullDiskChannel(FileChannel real, long capacity) {
        this.real = real;
        this.capacity = capacity;
    }

    private ByteBuffer fitting(ByteBuffer src, long at) throws IOException {
        long room = capacity - at;
        if (room <= 0) {
            throw new IOException("No space left on device");
        }
        if (src.remaining() <= room) {
            return src;
        }
        ByteBuffer part = src.duplicate();
        part.limit(part.position() + (int) room);
        return part;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        ByteBuffer part = fitting(src, real.position());
        int n = real.write(part);
        src.position(src.position() + n - (part == src ? n : 0));
        return n;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        ByteBuffer part = fitting(src, position);
        int n = real.write(part, position);
        if (part != src) {
            src.position(src.position() + n);
        }
        return n;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return real.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return real.read(dsts, offset, length);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        throw new IOException("not used");
    }

    @Override
    public long position() throws IOException {
        return real.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        real.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return real.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        real.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        real.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return real.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        throw new IOException("not used");
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return real.read(dst, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        throw new IOException("not used");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return real.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return real.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        real.close();
    }
}
