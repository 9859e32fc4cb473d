package org.arc4j.protocols.dc09;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.arc4j.core.codes.CodeTable;
import org.arc4j.core.codes.CodeTables;
import org.arc4j.core.credentials.CredentialStore;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Transport;
import org.arc4j.core.intake.AlarmIntake;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.supervision.DeviceKey;
import org.arc4j.core.supervision.Supervisor;
import org.arc4j.core.time.Scheduler;
import org.arc4j.protocols.dc09.internal.Dc09Processor;
import org.arc4j.protocols.dc09.internal.Dc09StreamFramer;
import org.arc4j.protocols.dc09.internal.Dc09TcpHandler;
import org.arc4j.protocols.dc09.internal.Dc09UdpHandler;

/**
 * A SIA DC-09 receiver (DC-09 §5) on TCP and UDP, plain and AES-encrypted, answering as the table in the
 * {@linkplain org.arc4j.protocols.dc09 package documentation} says. Each report's events go to the
 * {@link AlarmIntake} with an idempotency key made of token, receiver, line, account, sequence and data (not
 * the pad or timestamp), and the {@code ACK} is written only after the intake's receipt completes: a
 * retransmission is acknowledged again without a second event, a refusal gets no reply.
 *
 * <p>Keys: the {@link CredentialStore} is asked for {@code DC09_KEY} with scope = the account as received
 * (e.g. {@code "1234"}), else scope = {@code "L"} + the line prefix (a key shared by a receiver line, e.g.
 * {@code "L3F"}). Credential options {@code keyFormat}, {@code weakKeyAccepted} and {@code keyChangeAllowed}
 * apply (see {@link Dc09Key#of(org.arc4j.core.credentials.Credential)}).
 *
 * <p>Supervision: {@code NULL} polls are check-ins of device {@code dc09:R<rcvr>/L<line>/#<acct>} (absent parts
 * left out); reports are check-ins too. When {@link Builder#pollExpectation(Function)} gives a maximum silence
 * for an account, the supervisor is told to expect it on its first poll.
 *
 * <p>TCP answers go out in the order the frames came in on their connection, however the intake's receipts
 * complete; at most 64 frames of one
 * connection wait for their answer before the connection stops reading until half of them are answered.
 *
 * <p>Netty event loops, no thread per connection; timers (idle timeout) on the core {@link Scheduler}.
 * Counters through {@link Metrics}: {@code dc09.frames{outcome,reason}}, {@code dc09.variants{account,variant}},
 * {@code dc09.connections{event}}, {@code dc09.garbage.bytes}, {@code dc09.keys{outcome}}. Thread-safe.
 */
public final class Dc09Receiver implements AutoCloseable {
    private final Builder b;
    private final Dc09Processor processor;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private final List<Channel> tcpChannels = new ArrayList<>();
    private final List<Channel> udpChannels = new ArrayList<>();

    private Dc09Receiver(Builder b) {
        this.b = b;
        this.processor = new Dc09Processor(new Dc09Processor.Settings(b.intake, b.keys, b.supervisor, b.scheduler,
                b.metrics, Dc09Decoder.builder().maxFrameLength(b.maxFrameLength), b.strict, b.behind, b.ahead,
                b.nakOnBadFrame, b.transport, memo(b.sia), memo(b.contactId), b.pollExpectation, b.traced,
                b.trace));
    }

    private static Supplier<CodeTable> memo(Supplier<CodeTable> s) {
        return new Supplier<>() {
            private volatile CodeTable table;

            @Override
            public CodeTable get() {
                CodeTable t = table;
                if (t == null) {
                    t = s.get();
                    table = t;
                }
                return t;
            }
        };
    }

    /**
     * A builder for a receiver.
     *
     * @param intake     where events go; the ACK waits for its receipt
     * @param keys       where AES keys come from
     * @param supervisor told of polls and reports
     * @param scheduler  the clock (timestamp window, receive times) and timers (idle timeout)
     * @return the builder
     */
    public static Builder builder(AlarmIntake intake, CredentialStore keys, Supervisor supervisor, Scheduler scheduler) {
        return new Builder(intake, keys, supervisor, scheduler);
    }

    /**
     * Binds every configured socket; returns when they are bound.
     *
     * @return this
     * @throws InterruptedException if interrupted while binding
     * @throws IllegalStateException if a socket cannot be bound, or already started
     */
    public synchronized Dc09Receiver start() throws InterruptedException {
        if (workers != null) {
            throw new IllegalStateException("already started");
        }
        boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(b.threads, NioIoHandler.newFactory());
        try {
            for (InetSocketAddress a : b.tcp) {
                ServerBootstrap sb = new ServerBootstrap().group(boss, workers)
                        .channel(NioServerSocketChannel.class)
                        .option(ChannelOption.SO_BACKLOG, b.backlog)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                Ingress ingress = new Ingress("dc09-tcp", text(ch.localAddress()));
                                ch.pipeline().addLast(
                                        new Dc09StreamFramer(processor.maxFrameLength(),
                                                b.metrics.counter("dc09.garbage.bytes")),
                                        new Dc09TcpHandler(processor, ingress, b.scheduler, b.idleTimeout, b.metrics));
                            }
                        });
                tcpChannels.add(sb.bind(a).sync().channel());
            }
            for (InetSocketAddress a : b.udp) {
                Bootstrap bs = new Bootstrap().group(workers).channel(NioDatagramChannel.class)
                        .handler(new ChannelInboundHandlerAdapter());
                Channel ch = bs.bind(a).sync().channel();
                // the ingress names the bound port, known only now; added on the channel's loop so the
                // handler is complete before start() returns
                Ingress ingress = new Ingress("dc09-udp", text((InetSocketAddress) ch.localAddress()));
                ch.eventLoop().submit(() -> ch.pipeline().addLast(new Dc09UdpHandler(processor, ingress))).sync();
                udpChannels.add(ch);
            }
        } catch (Exception e) { // Netty's sync() rethrows a checked BindException undeclared
            close();
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            throw new IllegalStateException("cannot bind: " + e, e);
        }
        return this;
    }

    private static String text(InetSocketAddress a) {
        return (a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress()) + ":" + a.getPort();
    }

    /** @return the bound TCP addresses, in configuration order (actual ports when 0 was configured) */
    public synchronized List<InetSocketAddress> tcpAddresses() {
        return tcpChannels.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
    }

    /** @return the bound UDP addresses, in configuration order */
    public synchronized List<InetSocketAddress> udpAddresses() {
        return udpChannels.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
    }

    /** @return the first bound TCP port @throws IllegalStateException if none is bound */
    public int tcpPort() {
        List<InetSocketAddress> a = tcpAddresses();
        if (a.isEmpty()) {
            throw new IllegalStateException("no TCP socket bound");
        }
        return a.get(0).getPort();
    }

    /** @return the first bound UDP port @throws IllegalStateException if none is bound */
    public int udpPort() {
        List<InetSocketAddress> a = udpAddresses();
        if (a.isEmpty()) {
            throw new IllegalStateException("no UDP socket bound");
        }
        return a.get(0).getPort();
    }

    /**
     * The deviations from DC-09 accepted so far, per account ({@code ""} for frames without any account), so
     * an integrator can see which panels are not conformant.
     *
     * @return a snapshot: account to variant to count
     */
    public Map<String, Map<Dc09Variant, Long>> variantCounts() {
        return processor.variantCounts();
    }

    /**
     * The supervisor's key of a panel, as this receiver reports it.
     *
     * @param receiver the receiver number, or null
     * @param line     the line prefix, or null
     * @param account  the account
     * @return {@code dc09:R<rcvr>/L<line>/#<acct>} with absent parts left out
     */
    public static DeviceKey deviceKey(String receiver, String line, String account) {
        return Dc09Processor.deviceKey(receiver, line, account);
    }

    /** Closes every socket and connection and stops the event loops; waits for them. Idempotent. */
    @Override
    public synchronized void close() {
        for (Channel c : tcpChannels) {
            c.close().syncUninterruptibly();
        }
        for (Channel c : udpChannels) {
            c.close().syncUninterruptibly();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Configures a {@link Dc09Receiver}. Not thread-safe. */
    public static final class Builder {
        private final AlarmIntake intake;
        private final CredentialStore keys;
        private final Supervisor supervisor;
        private final Scheduler scheduler;
        private final List<InetSocketAddress> tcp = new ArrayList<>();
        private final List<InetSocketAddress> udp = new ArrayList<>();
        private Metrics metrics = new SimpleMetrics();
        private boolean strict;
        private int maxFrameLength = Dc09Decoder.DEFAULT_MAX_FRAME_LENGTH;
        private Duration behind = Duration.ofSeconds(40);
        private Duration ahead = Duration.ofSeconds(20);
        private boolean nakOnBadFrame;
        private Function<String, Transport> transport = a -> Transport.IP;
        private Supplier<CodeTable> sia = CodeTables::sia;
        private Supplier<CodeTable> contactId = CodeTables::contactId;
        private Function<String, Duration> pollExpectation = a -> null;
        private Duration idleTimeout = Duration.ofMinutes(5);
        private int backlog = 4096;
        private int threads = 0;
        private Predicate<String> traced = a -> false;
        private Consumer<String> trace = t -> { };

        private Builder(AlarmIntake intake, CredentialStore keys, Supervisor supervisor, Scheduler scheduler) {
            this.intake = Objects.requireNonNull(intake, "intake");
            this.keys = Objects.requireNonNull(keys, "keys");
            this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        }

        /** @param address a TCP address to listen on (port 0 for any) @return this */
        public Builder tcp(InetSocketAddress address) {
            tcp.add(Objects.requireNonNull(address, "address"));
            return this;
        }

        /** @param address a UDP address to listen on (port 0 for any) @return this */
        public Builder udp(InetSocketAddress address) {
            udp.add(Objects.requireNonNull(address, "address"));
            return this;
        }

        /** @param v where counters go (default: a new {@link SimpleMetrics}) @return this */
        public Builder metrics(Metrics v) {
            this.metrics = Objects.requireNonNull(v, "metrics");
            return this;
        }

        /** @param v true to refuse every {@link Dc09Variant} (default false) @return this */
        public Builder strict(boolean v) {
            this.strict = v;
            return this;
        }

        /** @param v the largest frame in bytes (default 1024) @return this */
        public Builder maxFrameLength(int v) {
            this.maxFrameLength = v;
            return this;
        }

        /**
         * The timestamp window (DC-09 timestamp field): a frame whose timestamp is further behind or ahead of the
         * receiver's clock is answered with {@code NAK}. Default 40 s behind, 20 s ahead.
         *
         * @param behindLimit how far a panel's clock may be behind
         * @param aheadLimit  how far it may be ahead
         * @return this
         */
        public Builder timestampWindow(Duration behindLimit, Duration aheadLimit) {
            this.behind = Objects.requireNonNull(behindLimit, "behind");
            this.ahead = Objects.requireNonNull(aheadLimit, "ahead");
            return this;
        }

        /** @param v true to answer frames with bad CRC or length with {@code NAK} instead of silence @return this */
        public Builder nakOnBadFrame(boolean v) {
            this.nakOnBadFrame = v;
            return this;
        }

        /** @param v the transport recorded on every event (GA 1383 limits depend on it; default IP) @return this */
        public Builder transport(Transport v) {
            Objects.requireNonNull(v, "transport");
            this.transport = a -> v;
            return this;
        }

        /**
         * The transport recorded on an account's events, from the account's configuration (a frame cannot tell
         * wired IP from GPRS, and GA 1383 报警响应 allows 4 s over IP, 5 s over wireless).
         *
         * @param v account (null when the frame carries none) to transport; a null result records
         *          {@link Transport#UNKNOWN}
         * @return this
         */
        public Builder transport(Function<String, Transport> v) {
            this.transport = Objects.requireNonNull(v, "transport");
            return this;
        }

        /**
         * The code table for a code system, instead of the shipped one ({@link CodeTables}, loaded lazily on the
         * first event that needs it).
         *
         * @param table the table; its system must be {@link CodeSystem#SIA} or {@link CodeSystem#CONTACT_ID}
         * @return this
         */
        public Builder codeTable(CodeTable table) {
            Objects.requireNonNull(table, "table");
            if (table.system() == CodeSystem.SIA) {
                this.sia = () -> table;
            } else if (table.system() == CodeSystem.CONTACT_ID) {
                this.contactId = () -> table;
            } else {
                throw new IllegalArgumentException("DC-09 carries SIA and Contact ID codes, not " + table.system());
            }
            return this;
        }

        /**
         * How long each account may stay silent (poll interval × allowed misses), from its configuration;
         * null for accounts that are not supervised.
         *
         * @param v account to maximum silence, or null
         * @return this
         */
        public Builder pollExpectation(Function<String, Duration> v) {
            this.pollExpectation = Objects.requireNonNull(v, "pollExpectation");
            return this;
        }

        /** @param v close TCP connections idle this long (default 5 min), or null never @return this */
        public Builder idleTimeout(Duration v) {
            this.idleTimeout = v;
            return this;
        }

        /** @param v the TCP listen backlog (default 4096) @return this */
        public Builder backlog(int v) {
            this.backlog = v;
            return this;
        }

        /** @param v event loop threads (default 0: Netty's default, twice the cores) @return this */
        public Builder threads(int v) {
            this.threads = v;
            return this;
        }

        /**
         * A traffic trace for some accounts: every frame in and out as text, with key-change values of plain
         * frames redacted (encrypted frames are traced as ciphertext).
         *
         * @param accounts which accounts to trace
         * @param sink     where trace lines go; called on event loops, must be quick
         * @return this
         */
        public Builder trace(Predicate<String> accounts, Consumer<String> sink) {
            this.traced = Objects.requireNonNull(accounts, "accounts");
            this.trace = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** @return the receiver, not yet started */
        public Dc09Receiver build() {
            if (tcp.isEmpty() && udp.isEmpty()) {
                throw new IllegalStateException("configure at least one TCP or UDP address");
            }
            return new Dc09Receiver(this);
        }
    }
}
