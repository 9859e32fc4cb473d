package org.arc4j.examples.sim;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.arc4j.protocols.dc09.Dc09DecodeResult;
import org.arc4j.protocols.dc09.Dc09Decoder;
import org.arc4j.protocols.dc09.Dc09Encoder;
import org.arc4j.protocols.dc09.Dc09Frame;
import org.arc4j.protocols.dc09.Dc09Key;
import org.arc4j.protocols.dc09.Dc09Token;

/**
 * Panels that behave like real ones towards a receiving centre with a primary and a secondary path
 * ({@code bin/arc4j-panel-sim --target A,B}, or {@code --acked-log FILE}): each panel has one message outstanding
 * at a time, over TCP. A message not answered within the timeout (or whose connection fails or is refused) is sent
 * again, the same sequence and data, on the same path; after {@code --retries} attempts there the panel switches to
 * the other path and keeps alternating until it is answered or the run ends. A NAK (the receiver's clock disagrees)
 * is answered by sending the message again with a fresh timestamp; a DUH ends the message unacknowledged. Events
 * that fall due while a panel is still retrying wait in its queue, as in a panel's event buffer.
 *
 * <p>Every event carries a burglary alarm ({@code NBA}) with zone {@code 001}–{@code 999}, the panel's event counter,
 * so that each ACKed event can be found in the centre's records by account and zone. Each ACK is written to the
 * ACKed log at once (and flushed) as {@code ACCOUNT SEQUENCE ZONE HOST:PORT}.
 *
 * <p>The schedule is the open model's: event {@code g} falls due at {@code start + g / rate} for panel
 * {@code g mod N}; ACK latency counts from that time, retries and failovers included. One thread per panel: this
 * mode is for loss checks at low rates, not for load.
 */
final class FailoverPanels {
    private static final Dc09Encoder ENCODER = new Dc09Encoder();
    /** The least time between two attempts when connections are refused at once, so both paths down is no spin. */
    private static final long MIN_ATTEMPT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final SimOptions o;
    private final Dc09Key key;
    private final Dc09Decoder decoder;
    private final ConcurrentHistogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(600), 3);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong naks = new AtomicLong();
    private final AtomicLong duhs = new AtomicLong();
    private final AtomicLong failovers = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private BufferedWriter ackedLog;

    FailoverPanels(SimOptions options) {
        this.o = options;
        this.key = options.keyHex() == null ? null : Dc09Key.ofHex(options.keyHex());
        Dc09Key k = key;
        this.decoder = Dc09Decoder.builder().keys((r, l, a) -> k).build();
    }

    /** @return how many times a panel switched paths */
    long failovers() {
        return failovers.get();
    }

    /**
     * Runs the panels: sends for the duration, then lets each panel finish the message it holds (retrying) for at
     * most the drain time; what is still unanswered then counts as a timeout.
     *
     * @param log where progress lines go
     * @return what was measured (connect failures are not counted apart: a refused connection is a failed attempt)
     * @throws InterruptedException if interrupted
     */
    PanelSimulator.Result run(PrintStream log) throws InterruptedException {
        List<InetSocketAddress> paths = o.secondary() == null ? List.of(o.target())
                : List.of(o.target(), o.secondary());
        log.printf(Locale.ROOT, "arc4j-panel-sim: %d panels -> %s over TCP%s, %.1f events/s for %.1f s, one message"
                        + " outstanding per panel, %d attempts per path%n", o.panels(), paths,
                key != null ? " (AES)" : "", o.rate(), o.duration().toMillis() / 1000.0, o.retries());
        try {
            ackedLog = o.ackedLog() == null ? null : Files.newBufferedWriter(o.ackedLog(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ACKed log " + o.ackedLog(), e);
        }
        long total = (long) Math.floor(o.rate() * o.duration().toNanos() / 1e9);
        double interval = o.rate() == 0 ? 0 : 1e9 / o.rate();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        // a panel may keep retrying its last message this long after the schedule ends: every path twice more
        long drain = o.ackTimeout().toNanos() * o.retries() * paths.size() * 2 + TimeUnit.SECONDS.toNanos(1);
        long deadline = start + o.duration().toNanos() + drain;
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < o.panels(); k++) {
            Panel p = new Panel(Long.toHexString(o.accountBase() + k).toUpperCase(Locale.ROOT), paths);
            int index = k;
            Thread t = new Thread(() -> p.run(index, total, start, interval, deadline), "panel-" + p.account);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = Math.max(0, System.nanoTime() - start) / 1e9;
        if (ackedLog != null) {
            try {
                ackedLog.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        long unanswered = sent.get() - acked.get() - naks.get() - duhs.get();
        log.printf(Locale.ROOT, "arc4j-panel-sim: %d attempts, %d failovers between paths%n", attempts.get(),
                failovers.get());
        return new PanelSimulator.Result(sent.get(), acked.get(), naks.get(), duhs.get(), unanswered, 0, 0, 0,
                latency.copy(), seconds);
    }

    private synchronized void logAck(String account, String sequence, String zone, InetSocketAddress path) {
        if (ackedLog == null) {
            return;
        }
        try {
            ackedLog.write(account + " " + sequence + " " + zone + " " + path.getHostString() + ":" + path.getPort());
            ackedLog.newLine();
            ackedLog.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One panel on its own thread. */
    private final class Panel {
        final String account;
        final List<InetSocketAddress> paths;
        int path;
        Socket socket;
        int seq = ThreadLocalRandom.current().nextInt(9999);

        Panel(String account, List<InetSocketAddress> paths) {
            this.account = account;
            this.paths = paths;
        }

        void run(int index, long total, long start, double interval, long deadline) {
            try {
                int n = o.panels();
                for (long g = index, j = 0; g < total; g += n, j++) {
                    long intended = start + (long) (g * interval);
                    long wait = intended - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (System.nanoTime() >= deadline) {
                        // still in the panel's buffer when the run ends: unanswered, like a message never sent
                        sent.addAndGet((total - g + n - 1) / n);
                        return;
                    }
                    sent.incrementAndGet();
                    deliver(intended, PanelSimulator.digits((int) (j % 999) + 1, 3), deadline);
                }
            } finally {
                close();
            }
        }

        /** Sends one event until it is answered or the deadline passes. */
        private void deliver(long intended, String zone, long deadline) {
            seq = seq % 9999 + 1;
            String s = PanelSimulator.digits(seq, 4);
            String data = "#" + account + "|NBA" + zone;
            byte[] frame = frame(s, data);
            int tries = 0;
            while (System.nanoTime() < deadline) {
                long began = System.nanoTime();
                attempts.incrementAndGet();
                Dc09Token answer = attempt(frame, s);
                if (answer == Dc09Token.ACK) {
                    acked.incrementAndGet();
                    latency.recordValue(Math.max(0, (System.nanoTime() - intended) / 1000));
                    logAck(account, s, zone, paths.get(path));
                    return;
                }
                if (answer == Dc09Token.DUH) {
                    duhs.incrementAndGet();
                    return;
                }
                if (answer == Dc09Token.NAK) {
                    frame = frame(s, data); // the receiver's time differs: the same message, stamped now
                }
                if (++tries >= o.retries() && paths.size() > 1) {
                    tries = 0;
                    path = (path + 1) % paths.size();
                    failovers.incrementAndGet();
                    close();
                }
                long rest = MIN_ATTEMPT_NANOS - (System.nanoTime() - began);
                if (rest > 0) {
                    LockSupport.parkNanos(rest);
                }
            }
        }

        private byte[] frame(String sequence, String data) {
            Dc09Frame f = Dc09Frame.of(Dc09Token.SIA_DCS, key != null, sequence, o.receiver(), o.line(), account,
                    data, Instant.now());
            return ENCODER.encode(f, key);
        }

        /** @return the answer's token for this sequence, or null for none within the timeout or a broken link */
        private Dc09Token attempt(byte[] frame, String sequence) {
            long end = System.nanoTime() + o.ackTimeout().toNanos();
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.setTcpNoDelay(true);
                    socket.connect(paths.get(path), (int) Math.max(1, o.ackTimeout().toMillis()));
                }
                OutputStream out = socket.getOutputStream();
                out.write(frame);
                out.flush();
                InputStream in = socket.getInputStream();
                while (true) {
                    long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                    if (left <= 0) {
                        close();
                        return null;
                    }
                    socket.setSoTimeout((int) left);
                    byte[] reply = readFrame(in);
                    if (reply == null) {
                        close();
                        return null;
                    }
                    Dc09DecodeResult r = decoder.decode(reply, 0, reply.length);
                    if (r instanceof Dc09DecodeResult.Valid v
                            && (v.frame().token() == Dc09Token.NAK || sequence.equals(v.frame().sequence()))) {
                        return v.frame().token();
                    }
                    // an answer to an earlier attempt of another message: keep waiting for this one's
                }
            } catch (SocketTimeoutException e) {
                close();
                return null;
            } catch (IOException e) {
                close();
                return null;
            }
        }

        /** @return one LF…CR frame, or null at the end of the stream */
        private byte[] readFrame(InputStream in) throws IOException {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(64);
            boolean started = false;
            for (int c = in.read(); c >= 0; c = in.read()) {
                if (c == '\n') {
                    started = true;
                    b.reset();
                }
                if (started) {
                    b.write(c);
                    if (c == '\r') {
                        return b.toByteArray();
                    }
                }
            }
            return null;
        }

        private void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closed either way
                }
                socket = null;
            }
        }
    }
}
