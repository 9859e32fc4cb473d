package org.arc4j.protocols.dc09;

// Over 500 lines because a panel's whole sending side (sequence numbers, AES, ACK timeout and retries, failover over four
// paths, polls, clock correction from a NAK) shares one per-panel state.

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;
import org.arc4j.protocols.dc09.internal.Dc09StreamFramer;

/**
 * A SIA DC-09 transmitter (DC-09 §5, the panel's side), for panel vendors, test labs and simulators: sends
 * reports with sequence numbers {@code 0001}–{@code 9999}, timestamps and optional AES encryption; waits for the
 * {@code ACK} with a timeout on the core {@link Scheduler}, validates it (CRC, sequence, account, decryption),
 * retransmits with the same sequence number, and fails over across up to four {@link Dc09Path}s (main/backup
 * × primary/secondary receiver) — every new message starts again on the first path, so it comes back as soon as
 * that path works. On a {@code NAK} carrying the receiver's time it keeps the receiver's clock offset and
 * resends at once with a corrected timestamp. {@link #startPolling(Duration)} sends {@code NULL} supervision
 * polls.
 *
 * <p>Messages are sent one at a time in the order given (DC-09 expects one outstanding message per account);
 * all state lives on one Netty event loop. Thread-safe.
 */
public final class Dc09Transmitter implements AutoCloseable {
    private static final int MAX_NAKS = 3;

    private final Builder b;
    private final Dc09Decoder decoder;
    private final Dc09Encoder encoder = new Dc09Encoder();
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Channel[] channels;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private Pending current;
    private int sequence;
    private long attemptIds;
    private volatile Duration clockOffset = Duration.ZERO;
    private volatile boolean closed;

    private static final class Pending {
        final Dc09Token token;
        final String data;
        final List<Dc09ExtendedData> extended;
        final CompletableFuture<Dc09SendResult> result = new CompletableFuture<>();
        String seq;
        Dc09Frame sent;
        int path;
        int attemptOnPath;
        int attempts;
        int naks;
        long attemptId;
        Cancellable timer;

        Pending(Dc09Token token, String data, List<Dc09ExtendedData> extended) {
            this.token = token;
            this.data = data;
            this.extended = List.copyOf(extended);
        }
    }

    private Dc09Transmitter(Builder b) {
        this.b = b;
        Dc09Key key = b.key;
        this.decoder = Dc09Decoder.builder().keys(new Dc09KeyResolver() {
            @Override
            public Dc09Key keyFor(String receiver, String line, String account) {
                return key;
            }

            @Override
            public boolean weakKeyAccepted(String receiver, String line, String account) {
                return true; // the panel's own configured key: the receiver decides whether it is acceptable
            }
        }).build();
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.loop = group.next();
        this.channels = new Channel[b.paths.size()];
        this.sequence = b.lastSequence;
    }

    /**
     * A builder.
     *
     * @param scheduler the clock for timestamps and the timer for ACK timeouts and polls
     * @return the builder
     */
    public static Builder builder(Scheduler scheduler) {
        return new Builder(scheduler);
    }

    /**
     * Sends SIA DC-03/DC-04 data, e.g. {@code #1234|Nri1/BA001}.
     *
     * @param data the data, without brackets
     * @return the outcome, once acknowledged or given up
     */
    public CompletionStage<Dc09SendResult> sendSia(String data) {
        return send(Dc09Token.SIA_DCS, data, List.of());
    }

    /**
     * Sends Contact ID data, e.g. {@code #1234|1130 01 003}.
     *
     * @param data the data, without brackets
     * @return the outcome
     */
    public CompletionStage<Dc09SendResult> sendContactId(String data) {
        return send(Dc09Token.ADM_CID, data, List.of());
    }

    /**
     * Sends a {@code NULL} supervision poll.
     *
     * @return the outcome
     */
    public CompletionStage<Dc09SendResult> poll() {
        return send(Dc09Token.NULL, "", List.of());
    }

    /**
     * Sends a report.
     *
     * @param token    {@link Dc09Token#SIA_DCS}, {@link Dc09Token#ADM_CID} or {@link Dc09Token#NULL}
     * @param data     the data without brackets (validated as a {@link Dc09Frame} would)
     * @param extended extended data blocks
     * @return the outcome
     * @throws IllegalArgumentException for a reply token or data a frame cannot carry
     */
    public CompletionStage<Dc09SendResult> send(Dc09Token token, String data, List<Dc09ExtendedData> extended) {
        if (!token.isReport()) {
            throw new IllegalArgumentException("a transmitter sends reports, not " + token);
        }
        // validates the fields now, in the caller's thread
        new Dc09Frame(token, b.key != null, "0000", b.receiver, b.line, b.account, data, extended, null);
        Pending p = new Pending(token, data, extended);
        if (closed) {
            p.result.complete(new Dc09SendResult.Failed(null, "transmitter closed", null, 0));
            return p.result;
        }
        loop.execute(() -> {
            queue.add(p);
            next();
        });
        return p.result;
    }

    /**
     * Sends a {@code NULL} poll every {@code interval} on the scheduler.
     *
     * @param interval the poll interval
     * @return a handle that stops the polls
     */
    public Cancellable startPolling(Duration interval) {
        return b.scheduler.scheduleAtFixedRate(interval, this::poll);
    }

    /** @return the receiver's clock minus ours, as last learnt from a {@code NAK}; zero until then */
    public Duration clockOffset() {
        return clockOffset;
    }

    private void next() {
        if (current != null || queue.isEmpty()) {
            return;
        }
        current = queue.poll();
        sequence = sequence >= 9999 ? 1 : sequence + 1;
        current.seq = String.format("%04d", sequence);
        attempt();
    }

    private void attempt() {
        Pending p = current;
        p.attempts++;
        p.attemptId = ++attemptIds;
        long id = p.attemptId;
        Instant ts = b.scheduler.now().plus(clockOffset);
        p.sent = new Dc09Frame(p.token, b.key != null, p.seq, b.receiver, b.line, b.account, p.data, p.extended, ts);
        byte[] bytes = encoder.encode(p.sent, b.crcStyle, b.key);
        int pathIndex = p.path;
        Dc09Path path = b.paths.get(pathIndex);
        p.timer = b.scheduler.schedule(b.ackTimeout, () -> timeout(id), loop);
        channel(pathIndex, ch -> {
            if (current != p || p.attemptId != id) {
                return;
            }
            if (ch == null) {
                p.timer.cancel();
                failAttempt();
                return;
            }
            ByteBuf buf = Unpooled.wrappedBuffer(bytes);
            if (path.transport() == Dc09Path.Transport.UDP) {
                ch.writeAndFlush(new DatagramPacket(buf, path.address()));
            } else {
                ch.writeAndFlush(buf);
            }
            b.metrics.counter("dc09.tx.frames", "path", String.valueOf(pathIndex)).increment();
        });
    }

    private void timeout(long id) {
        Pending p = current;
        if (p != null && p.attemptId == id) {
            b.metrics.counter("dc09.tx.timeouts", "path", String.valueOf(p.path)).increment();
            failAttempt();
        }
    }

    private void failAttempt() {
        Pending p = current;
        p.attemptOnPath++;
        if (p.attemptOnPath >= b.attemptsPerPath) {
            Channel ch = channels[p.path];
            if (ch != null && b.paths.get(p.path).transport() == Dc09Path.Transport.TCP) {
                ch.close(); // a fresh connection for the next message on this path
                channels[p.path] = null;
            }
            p.path++;
            p.attemptOnPath = 0;
        }
        if (p.path >= b.paths.size()) {
            finish(new Dc09SendResult.Failed(p.sent, "no acknowledgement on any of " + b.paths.size() + " paths",
                    null, p.attempts));
        } else {
            attempt();
        }
    }

    private void finish(Dc09SendResult r) {
        Pending p = current;
        if (p.timer != null) {
            p.timer.cancel();
        }
        current = null;
        p.result.complete(r);
        next();
    }

    private void onReply(int pathIndex, byte[] bytes) {
        Pending p = current;
        if (p == null) {
            return;
        }
        Dc09DecodeResult r = decoder.decode(bytes, 0, bytes.length);
        if (!(r instanceof Dc09DecodeResult.Valid v)) {
            b.metrics.counter("dc09.tx.replies", "outcome", "invalid").increment();
            return; // not a reply we can trust: the timer decides
        }
        Dc09Frame f = v.frame();
        switch (f.token()) {
            case ACK:
                if (f.sequence().equals(p.seq) && Objects.equals(f.account(), b.account)
                        && f.encrypted() == (b.key != null)) {
                    b.metrics.counter("dc09.tx.replies", "outcome", "ack").increment();
                    finish(new Dc09SendResult.Acknowledged(p.sent, f, pathIndex, p.attempts));
                } else {
                    b.metrics.counter("dc09.tx.replies", "outcome", "mismatch").increment();
                }
                return;
            case NAK:
                b.metrics.counter("dc09.tx.replies", "outcome", "nak").increment();
                if (f.timestamp() != null) {
                    clockOffset = Duration.between(b.scheduler.now(), f.timestamp());
                }
                p.timer.cancel();
                if (++p.naks > MAX_NAKS) {
                    finish(new Dc09SendResult.Failed(p.sent, "NAK after " + MAX_NAKS + " clock corrections", f,
                            p.attempts));
                } else {
                    attempt();
                }
                return;
            case DUH:
                if (f.sequence().equals(p.seq)) {
                    b.metrics.counter("dc09.tx.replies", "outcome", "duh").increment();
                    finish(new Dc09SendResult.Failed(p.sent, "the receiver did not understand the message (DUH)",
                            f, p.attempts));
                }
                return;
            default:
                b.metrics.counter("dc09.tx.replies", "outcome", "unexpected").increment();
        }
    }

    private void channel(int pathIndex, Consumer<Channel> then) {
        Channel ch = channels[pathIndex];
        if (ch != null && ch.isActive()) {
            then.accept(ch);
            return;
        }
        Dc09Path path = b.paths.get(pathIndex);
        Bootstrap bs = new Bootstrap().group(loop);
        ChannelFuture cf;
        if (path.transport() == Dc09Path.Transport.UDP) {
            bs.channel(NioDatagramChannel.class).handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                    byte[] bytes = new byte[Math.min(msg.content().readableBytes(), decoder.maxFrameLength() + 1)];
                    msg.content().getBytes(msg.content().readerIndex(), bytes);
                    onReply(pathIndex, bytes);
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    // ICMP port unreachable and the like: the ACK timeout handles the path
                }
            });
            cf = bs.bind(new InetSocketAddress(0));
        } else {
            bs.channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                            Math.max(1, b.connectTimeout.toMillis())))
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new Dc09StreamFramer(decoder.maxFrameLength(),
                                    b.metrics.counter("dc09.tx.garbage.bytes")),
                                    new SimpleChannelInboundHandler<byte[]>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, byte[] msg) {
                                            onReply(pathIndex, msg);
                                        }

                                        @Override
                                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                            ctx.close();
                                        }
                                    });
                        }
                    });
            cf = bs.connect(path.address());
        }
        cf.addListener(f -> {
            if (f.isSuccess()) {
                channels[pathIndex] = cf.channel();
                then.accept(cf.channel());
            } else {
                b.metrics.counter("dc09.tx.connect-failures", "path", String.valueOf(pathIndex)).increment();
                then.accept(null);
            }
        });
    }

    /** Closes every connection and stops the event loop; pending messages complete as failed. */
    @Override
    public void close() {
        closed = true;
        loop.execute(() -> {
            List<Pending> all = new ArrayList<>(queue);
            queue.clear();
            if (current != null) {
                all.add(current);
                if (current.timer != null) {
                    current.timer.cancel();
                }
                current = null;
            }
            for (Pending p : all) {
                p.result.complete(new Dc09SendResult.Failed(p.sent, "transmitter closed", null, p.attempts));
            }
            for (Channel c : channels) {
                if (c != null) {
                    c.close();
                }
            }
        });
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Configures a {@link Dc09Transmitter}. Not thread-safe. */
    public static final class Builder {
        private final Scheduler scheduler;
        private final List<Dc09Path> paths = new ArrayList<>();
        private String account;
        private String receiver;
        private String line = "0";
        private Dc09Key key;
        private Duration ackTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private int attemptsPerPath = 2;
        private int lastSequence = 0;
        private Dc09CrcStyle crcStyle = Dc09CrcStyle.HEX;
        private org.arc4j.core.metrics.Metrics metrics = new SimpleMetrics();

        private Builder(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        }

        /** @param p a path; the first added is primary; at most four @return this */
        public Builder path(Dc09Path p) {
            if (paths.size() == 4) {
                throw new IllegalStateException("DC-09 transmitters have at most four paths");
            }
            paths.add(Objects.requireNonNull(p, "path"));
            return this;
        }

        /** @param v the account, 3–16 hex digits @return this */
        public Builder account(String v) {
            this.account = v;
            return this;
        }

        /** @param v the receiver number, 1–6 hex digits, or null to send none @return this */
        public Builder receiver(String v) {
            this.receiver = v;
            return this;
        }

        /** @param v the line prefix, or null to send none (default {@code 0}) @return this */
        public Builder line(String v) {
            this.line = v;
            return this;
        }

        /** @param v the AES key to encrypt with, or null to send plain (default) @return this */
        public Builder key(Dc09Key v) {
            this.key = v;
            return this;
        }

        /** @param v how long to wait for an answer before retransmitting (default 10 s) @return this */
        public Builder ackTimeout(Duration v) {
            this.ackTimeout = Objects.requireNonNull(v, "ackTimeout");
            return this;
        }

        /** @param v how long a TCP connect may take, in real time (default 5 s) @return this */
        public Builder connectTimeout(Duration v) {
            this.connectTimeout = Objects.requireNonNull(v, "connectTimeout");
            return this;
        }

        /** @param v transmissions on a path before failing over to the next (default 2) @return this */
        public Builder attemptsPerPath(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("attemptsPerPath must be positive");
            }
            this.attemptsPerPath = v;
            return this;
        }

        /**
         * The sequence number last used, so that a panel restarting (or a simulator resuming) continues its
         * numbering; the next message gets the one after it, {@code 9999} being followed by {@code 0001}.
         *
         * @param v 0 (default: start at {@code 0001}) to 9999
         * @return this
         */
        public Builder lastSequence(int v) {
            if (v < 0 || v > 9999) {
                throw new IllegalArgumentException("sequence numbers run from 0 to 9999: " + v);
            }
            this.lastSequence = v;
            return this;
        }

        /** @param v the CRC style to send (default standard hex), to imitate a panel @return this */
        public Builder crcStyle(Dc09CrcStyle v) {
            this.crcStyle = Objects.requireNonNull(v, "crcStyle");
            return this;
        }

        /** @param v where counters go @return this */
        public Builder metrics(org.arc4j.core.metrics.Metrics v) {
            this.metrics = Objects.requireNonNull(v, "metrics");
            return this;
        }

        /** @return the transmitter; connections are opened on first use */
        public Dc09Transmitter build() {
            if (paths.isEmpty()) {
                throw new IllegalStateException("configure at least one path");
            }
            // validates account, receiver and line
            new Dc09Frame(Dc09Token.NULL, false, "0000", receiver, line, Objects.requireNonNull(account, "account"),
                    "", List.of(), null);
            return new Dc09Transmitter(this);
        }
    }
}
