package org.arc4j.protocols.serial;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Two in-memory {@link ByteLink} ends: what one writes, the other receives at once on the writer's thread. */
final class PipeLink implements ByteLink {
    private final String name;
    private PipeLink peer;
    private Consumer<byte[]> receiver;
    final List<byte[]> written = new ArrayList<>();
    boolean down;

    private PipeLink(String name) {
        this.name = name;
    }

    static PipeLink[] pair() {
        PipeLink a = new PipeLink("a");
        PipeLink b = new PipeLink("b");
        a.peer = b;
        b.peer = a;
        return new PipeLink[] {a, b};
    }

    @Override
    public String endpoint() {
        return "pipe-" + name;
    }

    @Override
    public synchronized void start(Consumer<byte[]> r) {
        this.receiver = r;
    }

    @Override
    public void write(byte[] bytes) throws java.io.IOException {
        synchronized (this) {
            written.add(bytes.clone());
        }
        if (down) {
            return;
        }
        Consumer<byte[]> r;
        synchronized (peer) {
            r = peer.receiver;
        }
        if (r != null) {
            r.accept(bytes.clone());
        }
    }

    /** Delivers bytes to this end as if the peer had sent them. */
    void inject(byte[] bytes) {
        receiver.accept(bytes.clone());
    }

    synchronized List<byte[]> written() {
        return new ArrayList<>(written);
    }

    @Override
    public boolean isOpen() {
        return !down;
    }

    @Override
    public void close() {
    }
}
