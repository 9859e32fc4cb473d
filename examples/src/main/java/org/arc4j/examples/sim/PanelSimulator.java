package org.arc4j.examples.sim;

// Over 500 lines because the load generator, its panels' send/answer bookkeeping and the result report are one program a
// test lab reads as a whole; the options are SimOptions, the null receiver NullReceiver.

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.arc4j.protocols.dc09.Dc09DecodeResult;
import org.arc4j.protocols.dc09.Dc09Decoder;
import org.arc4j.protocols.dc09.Dc09Encoder;
import org.arc4j.protocols.dc09.Dc09Frame;
import org.arc4j.protocols.dc09.Dc09Key;
import org.arc4j.protocols.dc09.Dc09Token;

/**
 * A DC-09 panel simulator for load tests of any DC-09 receiver ({@code bin/arc4j-panel-sim}).
 *
 * <p><b>Open model.</b> The intended send time of event i is {@code start + i / rate}, for panel {@code i mod N}.
 * Each event loop runs the schedule of its own panels as a task that sends what has come due and schedules itself
 * for the next event: no generator thread sleeps and hands events over (a hand-off and a wake-up per event cost
 * more CPU than the sending, and a late wake-up of that thread was the simulator's own stall, measured as the
 * receiver's). ACK latency is measured from the <em>intended</em> send time, not from when the bytes left, so a
 * receiver that stalls is charged for every event that queued behind the stall (the coordinated-omission
 * correction of HdrHistogram's documentation, done by construction). Latencies go to an HdrHistogram in
 * microseconds, 3 significant digits.
 *
 * <p><b>Connections.</b> N TCP connections (or N UDP sockets) on a small Netty event loop group, not a thread per
 * panel, spread over {@code --source-ips} so more than one address's ephemeral ports can be used. Each panel may
 * have several messages outstanding; replies are matched by sequence number ({@code NAK}, which carries no
 * sequence, to the panel's oldest outstanding message). Optional NULL polls per panel, staggered over the
 * interval, are counted apart from events.
 *
 * <p>An event whose ACK does not come within the timeout counts as a timeout; {@code NAK} and {@code DUH} are
 * counted by kind. Nothing is retransmitted, so every count is what the receiver did to one message.
 *
 * <p>With a secondary path ({@code --target A,B}) or an ACKed log ({@code --acked-log FILE}) the run is of
 * {@link FailoverPanels} instead: panels that retry and fail over like real ones, for loss checks at low rates.
 */
public final class PanelSimulator {
    private static final Dc09Encoder ENCODER = new Dc09Encoder();
    /** Messages sent over all connections before the measured run, to warm the JVM's paths. */
    private static final int PRIMING_MESSAGES = 3000;
    /** How often each event loop looks for messages past their timeout (one sweep instead of a timer each). */
    private static final long SWEEP_MILLIS = 20;

    /**
     * What a run measured.
     *
     * @param sent            events sent
     * @param acked           events acknowledged
     * @param naks            events answered with NAK
     * @param duhs            events answered with DUH
     * @param timeouts        events without an answer within the timeout (also those lost with their connection)
     * @param connectFailures panels that could not connect
     * @param pollsSent       NULL polls sent
     * @param pollsAcked      NULL polls acknowledged
     * @param latency         ACK latency of events in microseconds, from the intended send time
     * @param seconds         how long the sending lasted
     */
    public record Result(long sent, long acked, long naks, long duhs, long timeouts, long connectFailures,
                         long pollsSent, long pollsAcked, Histogram latency, double seconds) {
        /** @return true when every event sent was acknowledged and every panel connected */
        public boolean allAcknowledged() {
            return sent == acked && connectFailures == 0;
        }

        /**
         * @param percentile e.g. 99.9
         * @return that percentile in milliseconds
         */
        public double millis(double percentile) {
            return latency.getValueAtPercentile(percentile) / 1000.0;
        }

        /** @return the summary lines the tool prints */
        public String summary() {
            return String.format(Locale.ROOT,
                    "sent %d events in %.2f s (%.1f/s); acked %d, nak %d, duh %d, timeout %d; connect failures %d%n"
                            + "ACK latency from intended send time (ms): p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  "
                            + "max %.3f%n"
                            + "NULL polls: sent %d, acked %d",
                    sent, seconds, seconds > 0 ? sent / seconds : 0, acked, naks, duhs, timeouts, connectFailures,
                    millis(50), millis(90), millis(99), millis(99.9), latency.getMaxValue() / 1000.0, pollsSent,
                    pollsAcked);
        }
    }

    private final SimOptions o;
    private final Dc09Key key;
    private final Dc09Decoder decoder;
    private final ConcurrentHistogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(600), 3);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong naks = new AtomicLong();
    private final AtomicLong duhs = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong outstanding = new AtomicLong();
    private final AtomicLong pollsSent = new AtomicLong();
    private final AtomicLong pollsAcked = new AtomicLong();
    /** NULL polls sent and neither answered nor given up yet: the run waits for them before it reports. */
    private final AtomicLong pollsOutstanding = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();

    /**
     * A simulator.
     *
     * @param options the options
     */
    public PanelSimulator(SimOptions options) {
        this.o = options;
        this.key = options.keyHex() == null ? null : Dc09Key.ofHex(options.keyHex());
        Dc09Key k = key;
        this.decoder = Dc09Decoder.builder().keys((r, l, a) -> k).build();
    }

    /**
     * The command line entry.
     *
     * @param args see {@link SimOptions#usage()}
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length == 0 || List.of(args).contains("--help") || List.of(args).contains("-h")) {
            // help wins over any other flag, as it always has
            System.out.println(SimOptions.usage());
            System.exit(args.length == 0 ? 2 : 0);
            return;
        }
        // --self-test: the target is an in-process null receiver, so what is measured is the simulator's own cost
        boolean selfTest = List.of(args).contains("--self-test");
        List<String> rest = new ArrayList<>(List.of(args));
        rest.remove("--self-test");
        NullReceiver nullReceiver = null;
        if (selfTest) {
            if (rest.contains("--target") || rest.contains("--udp") || rest.contains("--key")) {
                System.err.println("arc4j-panel-sim: --self-test brings its own plain TCP target");
                System.exit(2);
                return;
            }
            nullReceiver = new NullReceiver();
            rest.add("--target");
            rest.add("127.0.0.1:" + nullReceiver.address().getPort());
        }
        picocli.CommandLine cl = SimOptions.commandLine();
        SimOptions o;
        try {
            o = SimOptions.parse(cl, rest.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            System.err.println("arc4j-panel-sim: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (cl.isVersionHelpRequested()) {
            cl.printVersionHelp(System.out);
            return;
        }
        // two paths or an ACKed log: panels one message at a time, retrying and failing over like real ones
        Result r = o.panelMode() ? new FailoverPanels(o).run(System.out) : new PanelSimulator(o).run(System.out);
        System.out.println(r.summary());
        if (nullReceiver != null) {
            System.out.printf(Locale.ROOT, "self-test: against an in-process null receiver (%d frames answered), the"
                    + " latencies above are the simulator's own overhead: p99.9 %.3f ms%n",
                    nullReceiver.answered(), r.millis(99.9));
            nullReceiver.close();
        }
        System.exit(r.allAcknowledged() ? 0 : 1);
    }

    /** One message waiting for its answer. */
    private record Pending(String sequence, long intendedNanos, boolean poll, CountDownLatch prime) {
    }

    /** One panel: its channel and what it has outstanding; touched only on its channel's event loop. */
    private final class Panel {
        final String account;
        Channel channel;
        int seq;
        int zoneBlock;
        final Map<String, Pending> waiting = new HashMap<>();
        final ArrayDeque<String> order = new ArrayDeque<>();

        Panel(String account) {
            this.account = account;
            // a random start, so that a second run against the same receiver repeats no (sequence, data) pair the
            // receiver saw in the first: it would rightly take it for a retransmission and store nothing new
            this.seq = ThreadLocalRandom.current().nextInt(9999);
            this.zoneBlock = ThreadLocalRandom.current().nextInt(1000);
        }

        void send(long intendedNanos, boolean poll) {
            send(intendedNanos, poll, null);
        }

        void send(long intendedNanos, boolean poll, CountDownLatch prime) {
            if (channel == null || !channel.isActive()) {
                if (prime != null) {
                    prime.countDown();
                } else if (!poll) {
                    timeouts.incrementAndGet();
                    outstanding.decrementAndGet();
                } else {
                    pollsOutstanding.decrementAndGet();
                }
                return;
            }
            seq = seq % 9999 + 1;
            if (seq == 1) {
                zoneBlock = (zoneBlock + 1) % 1000; // a new block of data, so sequence reuse is no retransmission
            }
            // no String.format here: its parser and locale lookups were most of what a send allocated
            String s = digits(seq, 4);
            String data = poll ? "" : "#" + account + "|NRP" + digits(zoneBlock, 3);
            Dc09Frame f = Dc09Frame.of(poll ? Dc09Token.NULL : Dc09Token.SIA_DCS, key != null, s, o.receiver(),
                    o.line(), account, data, Instant.now());
            byte[] bytes = ENCODER.encode(f, key);
            Pending old = waiting.put(s, new Pending(s, intendedNanos, poll, prime));
            if (old != null) {
                lost(old);
            }
            order.addLast(s);
            ByteBuf buf = Unpooled.wrappedBuffer(bytes);
            channel.writeAndFlush(o.udp() ? new DatagramPacket(buf, o.target()) : buf);
        }

        private void lost(Pending p) {
            if (p.prime() != null) {
                p.prime().countDown();
            } else if (!p.poll()) {
                timeouts.incrementAndGet();
                outstanding.decrementAndGet();
            } else {
                pollsOutstanding.decrementAndGet();
            }
        }

        /**
         * Counts as lost what has waited past the timeout. Messages go out in order of their intended times, so
         * the oldest are at the head of {@code order}; answered ones are skipped there.
         */
        void sweep(long now, long timeoutNanos) {
            while (!order.isEmpty()) {
                Pending p = waiting.get(order.peekFirst());
                if (p == null) {
                    order.pollFirst();
                } else if (now - p.intendedNanos() >= timeoutNanos) {
                    waiting.remove(order.pollFirst());
                    lost(p);
                } else {
                    return;
                }
            }
        }

        void reply(Dc09Frame f) {
            Pending p;
            if (f.token() == Dc09Token.NAK) {
                p = null;
                while (!order.isEmpty() && p == null) {
                    p = waiting.remove(order.pollFirst());
                }
            } else {
                p = waiting.remove(f.sequence());
            }
            if (p == null) {
                return;
            }
            long now = System.nanoTime();
            if (p.prime() != null) {
                p.prime().countDown();
                return;
            }
            if (p.poll()) {
                if (f.token() == Dc09Token.ACK) {
                    pollsAcked.incrementAndGet();
                }
                pollsOutstanding.decrementAndGet();
                return;
            }
            switch (f.token()) {
                case ACK -> {
                    acked.incrementAndGet();
                    latency.recordValue(Math.max(0, (now - p.intendedNanos()) / 1000));
                }
                case NAK -> naks.incrementAndGet();
                default -> duhs.incrementAndGet();
            }
            outstanding.decrementAndGet();
            if (order.size() > 4 * waiting.size() + 64) {
                order.removeIf(x -> !waiting.containsKey(x));
            }
        }

        void closed() {
            for (Pending p : List.copyOf(waiting.values())) {
                lost(p);
            }
            waiting.clear();
            order.clear();
        }
    }

    /**
     * The schedule of one event loop's panels, run on that loop: it sends every event of its panels that has come
     * due and schedules itself on the loop for the next one. No other thread sleeps, wakes or hands events over,
     * so the only delays between an intended time and the send are the loop's own (a timer that fires late, a
     * loop busy reading answers), and both are charged to the measured latency. Event {@code g} of the run
     * belongs to panel {@code g mod N}: this loop's panels, in index order, take their turn every round.
     */
    private final class LoopSchedule implements Runnable {
        private final EventExecutor loop;
        private final Panel[] mine;
        private final int[] index;
        private final int n;
        private final long start;
        private final double interval;
        private final long total;
        private final CountDownLatch done;
        private long round;
        private int pos;
        private volatile boolean stopped;

        LoopSchedule(EventExecutor loop, List<Panel> mine, List<Integer> index, int n, long start, double interval,
                     long total, CountDownLatch done) {
            this.loop = loop;
            this.mine = mine.toArray(Panel[]::new);
            this.index = index.stream().mapToInt(Integer::intValue).toArray();
            this.n = n;
            this.start = start;
            this.interval = interval;
            this.total = total;
            this.done = done;
        }

        @Override
        public void run() {
            if (stopped) {
                return;
            }
            long now = System.nanoTime();
            while (true) {
                long g = round * n + index[pos];
                if (g >= total) {
                    done.countDown();
                    return;
                }
                long intended = start + (long) (g * interval);
                if (intended > now) {
                    loop.schedule(this, intended - System.nanoTime(), TimeUnit.NANOSECONDS);
                    return;
                }
                sent.incrementAndGet();
                outstanding.incrementAndGet();
                mine[pos].send(intended, false);
                if (++pos == index.length) {
                    pos = 0;
                    round++;
                }
            }
        }

        void stop() {
            stopped = true;
        }
    }

    /** @return n in decimal, zero-padded to width digits */
    static String digits(int n, int width) {
        char[] c = new char[width];
        for (int i = width - 1; i >= 0; i--) {
            c[i] = (char) ('0' + n % 10);
            n /= 10;
        }
        return new String(c);
    }

    /** Splits a TCP stream into LF…CR frames and hands them to the panel. */
    private final class TcpReplies extends SimpleChannelInboundHandler<ByteBuf> {
        private final Panel panel;
        private final ByteBuf acc = Unpooled.buffer(256);

        TcpReplies(Panel panel) {
            this.panel = panel;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf in) {
            acc.writeBytes(in);
            while (true) {
                int cr = acc.indexOf(acc.readerIndex(), acc.writerIndex(), (byte) '\r');
                if (cr < 0) {
                    break;
                }
                byte[] frame = ByteBufUtil.getBytes(acc, acc.readerIndex(), cr + 1 - acc.readerIndex());
                acc.readerIndex(cr + 1);
                handle(panel, frame);
            }
            acc.discardReadBytes();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            acc.release();
            panel.closed();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private void handle(Panel panel, byte[] frame) {
        int start = 0;
        while (start < frame.length && frame[start] != '\n') {
            start++;
        }
        if (start == frame.length) {
            return;
        }
        Dc09DecodeResult r = decoder.decode(frame, start, frame.length - start);
        if (r instanceof Dc09DecodeResult.Valid v) {
            panel.reply(v.frame());
        }
    }

    /**
     * Connects the panels, sends at the constant rate for the duration, waits for the last answers (at most the
     * timeout) and returns what it measured.
     *
     * @param log where progress lines go
     * @return the result
     * @throws InterruptedException if interrupted
     */
    public Result run(PrintStream log) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(o.threads(), NioIoHandler.newFactory());
        List<Panel> panels = new ArrayList<>(o.panels());
        try {
            log.printf(Locale.ROOT, "arc4j-panel-sim: %d panels -> %s over %s%s, %.1f events/s for %.1f s%s%n",
                    o.panels(), o.target(), o.udp() ? "UDP" : "TCP", key != null ? " (AES)" : "", o.rate(),
                    o.duration().toMillis() / 1000.0, o.nullInterval() == null ? ""
                            : ", NULL poll every " + o.nullInterval().toSeconds() + " s");
            long t0 = System.nanoTime();
            connect(group, panels);
            log.printf(Locale.ROOT, "arc4j-panel-sim: %d panels connected in %.2f s (%d failed)%n",
                    panels.size() - connectFailures.get(), (System.nanoTime() - t0) / 1e9, connectFailures.get());
            prime(panels);
            List<io.netty.util.concurrent.Future<?>> pollers = new ArrayList<>();
            if (o.nullInterval() != null) {
                long period = o.nullInterval().toNanos();
                for (Panel p : panels) {
                    if (p.channel != null) {
                        long first = ThreadLocalRandom.current().nextLong(period);
                        pollers.add(p.channel.eventLoop().scheduleAtFixedRate(() -> {
                            pollsSent.incrementAndGet();
                            pollsOutstanding.incrementAndGet();
                            p.send(System.nanoTime(), true);
                        }, first, period, TimeUnit.NANOSECONDS));
                    }
                }
            }
            List<io.netty.util.concurrent.Future<?>> sweepers = new ArrayList<>();
            long timeoutNanos = o.ackTimeout().toNanos();
            Map<EventExecutor, List<Panel>> byLoop = new IdentityHashMap<>();
            for (Panel p : panels) {
                if (p.channel != null) {
                    byLoop.computeIfAbsent(p.channel.eventLoop(), l -> new ArrayList<>()).add(p);
                }
            }
            byLoop.forEach((loop, mine) -> sweepers.add(loop.scheduleAtFixedRate(() -> {
                long now = System.nanoTime();
                for (Panel p : mine) {
                    p.sweep(now, timeoutNanos);
                }
            }, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS)));
            long total = (long) Math.floor(o.rate() * o.duration().toNanos() / 1e9);
            double interval = o.rate() == 0 ? 0 : 1e9 / o.rate();
            Map<EventExecutor, List<Integer>> indexByLoop = new IdentityHashMap<>();
            for (int k = 0; k < panels.size(); k++) {
                Panel p = panels.get(k);
                if (p.channel != null) {
                    indexByLoop.computeIfAbsent(p.channel.eventLoop(), l -> new ArrayList<>()).add(k);
                } else {
                    // a panel that never connected: each of its events is sent into nothing and times out
                    long its = k < total ? (total - k + panels.size() - 1) / panels.size() : 0;
                    sent.addAndGet(its);
                    timeouts.addAndGet(its);
                }
            }
            CountDownLatch finished = new CountDownLatch(byLoop.size());
            List<LoopSchedule> schedules = new ArrayList<>();
            // the schedule starts a little after now, so that every loop has its first events before they fall due
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            byLoop.forEach((loop, mine) -> {
                LoopSchedule ls = new LoopSchedule(loop, mine, indexByLoop.get(loop), panels.size(), start, interval,
                        total, finished);
                schedules.add(ls);
                loop.schedule(ls, start - System.nanoTime(), TimeUnit.NANOSECONDS);
            });
            long limit = o.duration().toNanos() + o.ackTimeout().toNanos() + TimeUnit.SECONDS.toNanos(5);
            if (!finished.await(limit, TimeUnit.NANOSECONDS)) {
                schedules.forEach(LoopSchedule::stop); // loops too busy to keep up: what was not sent is not counted
            }
            double seconds = Math.max(0, System.nanoTime() - start) / 1e9;
            // no poll after the schedule: the counts reported are of polls that had their chance to be answered
            pollers.forEach(f -> f.cancel(false));
            long end = System.nanoTime() + o.ackTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
            while ((outstanding.get() > 0 || pollsOutstanding.get() > 0) && System.nanoTime() < end) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            sweepers.forEach(f -> f.cancel(false));
            return new Result(sent.get(), acked.get(), naks.get(), duhs.get(), timeouts.get() + outstanding.get(),
                    connectFailures.get(), pollsSent.get(), pollsAcked.get(), latency.copy(), seconds);
        } finally {
            for (Panel p : panels) {
                if (p.channel != null) {
                    p.channel.close();
                }
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * Sends a few rounds of NULL polls on every connection, counted nowhere, before the measured schedule starts:
     * the first messages through a cold JVM (class loading, the interpreter, lambda bootstraps, the first GC
     * sizing) took over a second, and an open-model schedule charged that stall to every event queued behind it.
     * The receiver sees the polls as link tests; a real panel sends one when its connection opens.
     */
    private void prime(List<Panel> panels) throws InterruptedException {
        int rounds = Math.max(3, (int) Math.ceil(PRIMING_MESSAGES / (double) panels.size()));
        for (int round = 0; round < rounds; round++) {
            CountDownLatch answered = new CountDownLatch(panels.size());
            for (Panel p : panels) {
                if (p.channel == null) {
                    answered.countDown();
                } else {
                    p.channel.eventLoop().execute(() -> p.send(System.nanoTime(), true, answered));
                }
            }
            if (!answered.await(o.ackTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                return; // a receiver that does not answer polls: the measured run will say so
            }
        }
    }

    private void connect(EventLoopGroup group, List<Panel> panels) throws InterruptedException {
        Semaphore inFlight = new Semaphore(o.connectRamp());
        CountDownLatch done = new CountDownLatch(o.panels());
        for (int k = 0; k < o.panels(); k++) {
            Panel p = new Panel(Long.toHexString(o.accountBase() + k).toUpperCase(Locale.ROOT));
            panels.add(p);
            Bootstrap b = new Bootstrap().group(group);
            if (o.udp()) {
                b.channel(NioDatagramChannel.class).handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket d) {
                        handle(p, ByteBufUtil.getBytes(d.content()));
                    }
                });
            } else {
                b.channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                        .handler(new ChannelInitializer<NioSocketChannel>() {
                            @Override
                            protected void initChannel(NioSocketChannel ch) {
                                ch.pipeline().addLast(new TcpReplies(p));
                            }
                        });
            }
            InetSocketAddress local = o.sourceIps().isEmpty() ? null
                    : new InetSocketAddress(o.sourceIps().get(k % o.sourceIps().size()), 0);
            inFlight.acquire();
            ChannelFuture f;
            if (o.udp()) {
                f = b.bind(local == null ? new InetSocketAddress(0) : local);
            } else {
                f = local == null ? b.connect(o.target()) : b.connect(o.target(), local);
            }
            f.addListener(x -> {
                if (x.isSuccess()) {
                    p.channel = f.channel();
                } else {
                    connectFailures.incrementAndGet();
                }
                inFlight.release();
                done.countDown();
            });
        }
        done.await();
    }
}
