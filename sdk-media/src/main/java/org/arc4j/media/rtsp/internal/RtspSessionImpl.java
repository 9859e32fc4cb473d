package org.arc4j.media.rtsp.internal;

// Over 500 lines because it is one RTSP session's state machine (requests and answers, authentication, transport fallback, keep-alive,
// watchdog, reconnection): every step reads and changes the same per-session state on one event loop, and split
// across classes that state would have to be shared or passed around on every call.

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.rtsp.RtspDecoder;
import io.netty.handler.codec.rtsp.RtspEncoder;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspMethods;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.handler.codec.rtsp.RtspVersions;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.security.digest.DigestAlgorithm;
import org.arc4j.core.security.digest.DigestChallenge;
import org.arc4j.core.security.digest.DigestClient;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;
import org.arc4j.media.rtp.InterleavedFrame;
import org.arc4j.media.rtp.JitterBuffer;
import org.arc4j.media.rtp.RtpDecodeResult;
import org.arc4j.media.rtp.RtpPacket;
import org.arc4j.media.rtcp.NtpTimestamp;
import org.arc4j.media.rtcp.ReportBlock;
import org.arc4j.media.rtcp.RtcpCodec;
import org.arc4j.media.rtcp.RtcpDecodeResult;
import org.arc4j.media.rtcp.RtcpPacket;
import org.arc4j.media.rtsp.MediaDescription;
import org.arc4j.media.rtsp.RtspClient;
import org.arc4j.media.rtsp.RtspError;
import org.arc4j.media.rtsp.RtspErrorKind;
import org.arc4j.media.rtsp.RtspListener;
import org.arc4j.media.rtsp.RtspSession;
import org.arc4j.media.rtsp.RtspState;
import org.arc4j.media.rtsp.RtspTransport;
import org.arc4j.media.rtsp.SdpResult;
import org.arc4j.media.rtsp.SessionDescription;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.Depacketizer;
import org.arc4j.media.video.H264Depacketizer;
import org.arc4j.media.video.H265Depacketizer;
import org.arc4j.media.video.VideoCodec;
import org.arc4j.media.video.VideoInvalid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine behind {@link RtspSession} (RFC 2326 §A.1 for the client, plus reconnection). Everything mutable
 * is confined to one Netty event loop: the TCP connection, the UDP sockets and every timer (handed to that loop by
 * the {@link Scheduler}) run there, so no locks are needed and nothing blocks. Each connection is a
 * {@link Connection}; callbacks of a connection that was dropped find it is no longer current and do nothing.
 */
public final class RtspSessionImpl implements RtspSession {
    private static final Logger LOG = LoggerFactory.getLogger(RtspSession.class);
    private static final int DEFAULT_SESSION_TIMEOUT_S = 60;
    private static final Duration FLUSH_PERIOD = Duration.ofMillis(100);
    private static final int REORDER_DEPTH = 32;
    /** RFC 3550 §6.2: the minimum interval between RTCP reports. */
    static final Duration REPORT_PERIOD = Duration.ofSeconds(5);

    private final RtspConfig cfg;
    private final RtspListener listener;
    private final Scheduler scheduler;
    private final EventLoopGroup ownGroup;
    private final EventLoop loop;
    private final AtomicInteger connections = new AtomicInteger();
    private final long ssrc = new java.security.SecureRandom().nextInt() & 0xFFFFFFFFL;
    private volatile RtspState state = RtspState.CONNECTING;
    private volatile RtspTransport transport;
    private volatile boolean closed;

    // confined to loop
    private Connection conn;
    private int attempt;
    private int transportIndex;
    private Cancellable reconnectTimer;
    private Cancellable watchdog;
    private SessionDescription description;
    private DigestClient digest;
    private boolean basic;

    /**
     * A session, not started.
     *
     * @param cfg      the client's configuration
     * @param listener where results go
     */
    public RtspSessionImpl(RtspConfig cfg, RtspListener listener) {
        this.cfg = cfg;
        this.listener = listener;
        this.scheduler = cfg.scheduler();
        if (cfg.group() == null) {
            ownGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            loop = ownGroup.next();
        } else {
            ownGroup = null;
            loop = cfg.group().next();
        }
    }

    /** Connects and arms the watchdog. */
    public void start() {
        Duration check = cfg.readIdleTimeout().dividedBy(4);
        watchdog = scheduler.scheduleAtFixedRate(check.isZero() ? Duration.ofMillis(1) : check,
                () -> post(this::checkIdle));
        loop.execute(this::connect);
    }

    @Override
    public RtspState state() {
        return state;
    }

    @Override
    public URI uri() {
        return cfg.uri();
    }

    @Override
    public RtspTransport transport() {
        return transport;
    }

    @Override
    public int connections() {
        return connections.get();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        loop.execute(() -> {
            if (watchdog != null) {
                watchdog.cancel();
            }
            if (reconnectTimer != null) {
                reconnectTimer.cancel();
            }
            Connection c = conn;
            conn = null;
            if (c != null) {
                if (c.sessionId != null && c.channel.isActive()) {
                    // TEARDOWN without waiting for the answer (RFC 2326 §10.7): the server frees the session either
                    // way when the connection closes or the session times out
                    FullHttpRequest req = c.newRequest(RtspMethods.TEARDOWN, c.aggregate().toString(),
                            Map.of());
                    c.channel.writeAndFlush(req).addListener(ChannelFutureListener.CLOSE);
                    c.closing = true;
                    c.release(false);
                } else {
                    c.release(true);
                }
            }
            setState(RtspState.CLOSED);
            if (ownGroup != null) {
                ownGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            }
        });
    }

    // ---- connection life -------------------------------------------------------------------------------------

    private void connect() {
        if (closed) {
            return;
        }
        connections.incrementAndGet();
        setState(RtspState.CONNECTING);
        Connection c = new Connection();
        conn = c;
        int port = cfg.uri().getPort() < 0 ? 554 : cfg.uri().getPort();
        c.timer = scheduler.schedule(cfg.connectTimeout(), () -> {
            if (conn == c && !c.connected) {
                fail(c, RtspErrorKind.CONNECT_FAILED, 0, "no connection within " + cfg.connectTimeout());
            }
        }, loop);
        String host = cfg.uri().getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);   // an IPv6 literal as java.net.URI gives it
        }
        if (io.netty.util.NetUtil.isValidIpV4Address(host) || io.netty.util.NetUtil.isValidIpV6Address(host)) {
            open(c, new InetSocketAddress(io.netty.util.NetUtil.createInetAddressFromIpAddressString(host), port));
            return;
        }
        // a name is resolved off the event loop: InetAddress lookups block, and the loop serves other cameras
        String name = host;
        java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return java.net.InetAddress.getByName(name);
            } catch (java.net.UnknownHostException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }).whenComplete((address, error) -> post(() -> {
            if (error != null) {
                fail(c, RtspErrorKind.CONNECT_FAILED, 0, "cannot resolve " + name);
            } else if (conn == c) {
                open(c, new InetSocketAddress(address, port));
            }
        }));
    }

    private void open(Connection c, InetSocketAddress address) {
        new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new RtspStreamSplitter(cfg.maxHeaderLength(), cfg.maxFrameLength()),
                                new RtspDecoder(new HttpDecoderConfig().setMaxHeaderSize(cfg.maxHeaderLength())
                                        .setMaxInitialLineLength(4096)),
                                new HttpObjectAggregator(SessionDescription.MAX_LENGTH * 4),
                                new RtspEncoder(), new Handler(c));
                    }
                })
                .connect(address).addListener(f -> {
                    if (!f.isSuccess()) {
                        fail(c, RtspErrorKind.CONNECT_FAILED, 0, String.valueOf(f.cause().getMessage()));
                    }
                });
    }

    private void onConnected(Connection c) {
        c.connected = true;
        c.timer.cancel();
        c.lastRead = scheduler.now();
        setState(RtspState.SETTING_UP);
        c.request(RtspMethods.OPTIONS, cfg.uri().toString(), Map.of(), r -> {
            String pub = r.headers().get(RtspHeaderNames.PUBLIC, "");
            c.getParameter = pub.toUpperCase(Locale.ROOT).contains("GET_PARAMETER");
            c.request(RtspMethods.DESCRIBE, cfg.uri().toString(), Map.of("Accept", "application/sdp"),
                    d -> onDescribe(c, d));
        });
    }

    private void onDescribe(Connection c, FullHttpResponse r) {
        String baseText = r.headers().get(RtspHeaderNames.CONTENT_BASE);
        if (baseText == null) {
            baseText = r.headers().get(RtspHeaderNames.CONTENT_LOCATION);
        }
        URI base;
        try {
            base = baseText == null ? cfg.uri() : RtspClient.withoutUserInfo(URI.create(baseText.trim()));
        } catch (IllegalArgumentException e) {
            base = cfg.uri();
        }
        if (!base.isAbsolute()) {
            base = cfg.uri().resolve(base);
        }
        String body = r.content().toString(StandardCharsets.UTF_8);
        SdpResult parsed = SessionDescription.parse(body, base);
        if (parsed instanceof SdpResult.Invalid bad) {
            fail(c, RtspErrorKind.BAD_SDP, 0, bad.error() + ": " + bad.detail());
            return;
        }
        SessionDescription d = ((SdpResult.Valid) parsed).description();
        for (MediaDescription m : d.media()) {
            if (m.protocol().startsWith("RTP/AVP") && m.clockRate() > 0) {
                c.tracks.add(new Track(c, m));
            }
        }
        if (c.tracks.isEmpty()) {
            fail(c, RtspErrorKind.NO_SUPPORTED_MEDIA, 0, d.media().size() + " media sections, none RTP");
            return;
        }
        description = d;
        c.description = d;
        setup(c, 0);
    }

    private void setup(Connection c, int i) {
        if (i == c.tracks.size()) {
            play(c);
            return;
        }
        Track t = c.tracks.get(i);
        RtspTransport kind = cfg.transports().get(transportIndex);
        if (kind == RtspTransport.TCP_INTERLEAVED) {
            t.rtpChannel = 2 * i;
            c.request(RtspMethods.SETUP, t.md.control().toString(),
                    Map.of("Transport", "RTP/AVP/TCP;unicast;interleaved=" + (2 * i) + "-" + (2 * i + 1)),
                    r -> onSetup(c, i, kind, r));
            return;
        }
        bindUdp(c, t, () -> c.request(RtspMethods.SETUP, t.md.control().toString(),
                Map.of("Transport", "RTP/AVP;unicast;client_port=" + t.rtpPort + "-" + t.rtcpPort),
                r -> onSetup(c, i, kind, r)));
    }

    private void onSetup(Connection c, int i, RtspTransport kind, FullHttpResponse r) {
        String session = r.headers().get(RtspHeaderNames.SESSION);
        if (session == null && c.sessionId == null) {
            fail(c, RtspErrorKind.BAD_RESPONSE, r.status().code(), "SETUP answered without Session");
            return;
        }
        if (session != null) {
            String[] parts = session.split(";");
            c.sessionId = parts[0].trim();
            for (int k = 1; k < parts.length; k++) {
                String p = parts[k].trim();
                if (p.toLowerCase(Locale.ROOT).startsWith("timeout=")) {
                    try {
                        c.sessionTimeout = Math.max(2, Integer.parseInt(p.substring(8).trim()));
                    } catch (NumberFormatException ignored) {
                        // the RFC 2326 §12.37 default stays
                    }
                }
            }
        }
        String tr = r.headers().get(RtspHeaderNames.TRANSPORT, "");
        Track t = c.tracks.get(i);
        if (kind == RtspTransport.TCP_INTERLEAVED) {
            Map<String, String> p = transportParams(tr);
            if (!tr.toUpperCase(Locale.ROOT).contains("/TCP")) {
                refuseTransport(c, "the server answered TCP with " + tr);
                return;
            }
            String inter = p.get("interleaved");
            if (inter != null) {
                try {
                    t.rtpChannel = Integer.parseInt(inter.split("-")[0].trim());
                } catch (NumberFormatException e) {
                    fail(c, RtspErrorKind.BAD_RESPONSE, 0, "Transport " + tr);
                    return;
                }
            }
        }
        if (kind == RtspTransport.UDP) {
            String sp = transportParams(tr).get("server_port");
            if (sp != null) {
                try {
                    String[] ports = sp.split("-");
                    t.serverRtcpPort = ports.length > 1 ? Integer.parseInt(ports[1].trim())
                            : Integer.parseInt(ports[0].trim()) + 1;
                } catch (NumberFormatException e) {
                    t.serverRtcpPort = 0;   // no reports then; media still flows
                }
            }
        }
        setup(c, i + 1);
    }

    private void refuseTransport(Connection c, String why) {
        RtspTransport refused = cfg.transports().get(transportIndex);
        transportIndex++;
        if (transportIndex >= cfg.transports().size()) {
            transportIndex = 0;
            fail(c, RtspErrorKind.TRANSPORT_REFUSED, 0, why);
            return;
        }
        LOG.info("RTSP {}: {} refused ({}), trying {}", cfg.uri(), refused, why,
                cfg.transports().get(transportIndex));
        // a fresh connection rather than a half-set-up session on this one
        drop(c);
        connect();
    }

    private void play(Connection c) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Range", "npt=0.000-");
        c.request(RtspMethods.PLAY, c.aggregate().toString(), h, r -> {
            attempt = 0;
            transport = cfg.transports().get(transportIndex);
            c.lastRead = scheduler.now();
            long every = c.sessionTimeout * 800L;   // 80 % of the session timeout (RFC 2326 §12.37)
            c.keepAlive = scheduler.scheduleAtFixedRate(Duration.ofMillis(every),
                    () -> post(() -> keepAlive(c)));
            c.reports = scheduler.scheduleAtFixedRate(REPORT_PERIOD, () -> post(() -> report(c)));
            if (transport == RtspTransport.UDP) {
                c.flush = scheduler.scheduleAtFixedRate(FLUSH_PERIOD, () -> post(() -> {
                    if (conn == c) {
                        c.tracks.forEach(tr -> tr.jitter.flush());
                    }
                }));
            }
            LOG.info("RTSP {} playing {} track(s) over {}", cfg.uri(), c.tracks.size(), transport);
            setState(RtspState.PLAYING);
        });
    }

    /** A receiver report on each track that has received RTP (RFC 3550 §6.4.2), with our CNAME (§6.5.1). */
    private void report(Connection c) {
        if (conn != c) {
            return;
        }
        for (Track t : c.tracks) {
            if (t.jitter.statistics().received() == 0) {
                continue;
            }
            ReportBlock block = ReportBlock.of(t.jitter.intervalReport(), t.lastSr,
                    t.lastSr == null ? Duration.ZERO : Duration.between(t.lastSrAt, scheduler.now()));
            byte[] rtcp = RtcpCodec.INSTANCE.encode(List.of(new RtcpPacket.ReceiverReport(ssrc, List.of(block)),
                    new RtcpPacket.SourceDescription(List.of(new RtcpPacket.SourceDescription.Chunk(ssrc,
                            List.of(new RtcpPacket.SourceDescription.Item(RtcpPacket.SourceDescription.CNAME,
                                    "arc4j@" + Long.toHexString(ssrc))))))));
            if (transport == RtspTransport.TCP_INTERLEAVED) {
                ByteBuf b = c.channel.alloc().buffer(4 + rtcp.length);
                b.writeByte('$').writeByte(t.rtpChannel + 1).writeShort(rtcp.length).writeBytes(rtcp);
                // past RtspEncoder, which takes only RTSP messages: straight to the socket
                c.channel.pipeline().firstContext().writeAndFlush(b);
            } else if (t.rtcpSocket != null && t.serverRtcpPort > 0
                    && c.channel.remoteAddress() instanceof InetSocketAddress server) {
                t.rtcpSocket.writeAndFlush(new DatagramPacket(io.netty.buffer.Unpooled.wrappedBuffer(rtcp),
                        new InetSocketAddress(server.getAddress(), t.serverRtcpPort)));
            }
        }
    }

    private void keepAlive(Connection c) {
        if (conn != c || c.pending != null) {
            return;
        }
        c.request(c.getParameter ? RtspMethods.GET_PARAMETER : RtspMethods.OPTIONS, c.aggregate().toString(),
                Map.of(), r -> { });
    }

    private void checkIdle() {
        Connection c = conn;
        if (c == null || state != RtspState.PLAYING || closed) {
            return;
        }
        Duration idle = Duration.between(c.lastRead, scheduler.now());
        if (idle.compareTo(cfg.readIdleTimeout()) >= 0) {
            fail(c, RtspErrorKind.READ_IDLE, 0, "nothing received for " + idle);
        }
    }

    private void fail(Connection c, RtspErrorKind kind, int status, String detail) {
        if (conn != c || closed) {
            return;
        }
        RtspError e = new RtspError(kind, status, detail);
        LOG.warn("RTSP {}: {} {}", cfg.uri(), kind, detail);
        drop(c);
        long delay = cfg.minBackoff().toMillis() << Math.min(attempt, 20);
        delay = Math.min(delay, cfg.maxBackoff().toMillis());
        attempt++;
        reconnectTimer = scheduler.schedule(Duration.ofMillis(delay), this::connect, loop);
        // the state after the timer and before the error, so a listener reading it sees what happens next
        setState(RtspState.RECONNECTING);
        safely(() -> listener.error(e));
    }

    private void drop(Connection c) {
        if (conn == c) {
            conn = null;
        }
        c.release(true);
    }

    private void setState(RtspState s) {
        if (state == s || state == RtspState.CLOSED) {
            return;
        }
        state = s;
        SessionDescription d = description;
        safely(() -> listener.state(s, d));
    }

    /** Hands a periodic task to the loop; one already due when a private group shuts down is dropped. */
    private void post(Runnable task) {
        try {
            loop.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException afterClose) {
            // the session is closed and its loop gone: nothing left to do
        }
    }

    private void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("RTSP {}: listener threw", cfg.uri(), e);
        }
    }

    // ---- authentication (RFC 2617, RFC 7616) ----------------------------------------------------------------

    /** @return true when the request can be sent again with (new) credentials */
    private boolean challenged(FullHttpResponse r) {
        Credential cred = cfg.credentials() == null ? null : cfg.credentials().get();
        if (cred == null) {
            return false;
        }
        DigestChallenge best = null;
        boolean offersBasic = false;
        for (String v : r.headers().getAll(RtspHeaderNames.WWW_AUTHENTICATE)) {
            String t = v.trim();
            if (t.regionMatches(true, 0, "Digest", 0, 6)) {
                DigestChallenge ch = DigestChallenge.parse(t);
                // the strongest offered algorithm (RFC 7616 §3.7: a server lists its preference, we take SHA-256)
                if (ch != null && (best == null || ch.algorithm() == DigestAlgorithm.SHA_256)) {
                    best = ch;
                }
            } else if (t.regionMatches(true, 0, "Basic", 0, 5)) {
                offersBasic = true;
            }
        }
        if (best != null) {
            digest = new DigestClient(cred.username());
            digest.challenged(best);
            basic = false;
            return true;
        }
        if (offersBasic) {
            basic = true;
            digest = null;
            return true;
        }
        return false;
    }

    private String authorization(String method, String uri) {
        if (digest == null && !basic) {
            return null;
        }
        Credential cred = cfg.credentials() == null ? null : cfg.credentials().get();
        if (cred == null) {
            return null;
        }
        if (digest != null) {
            return cred.secret().reveal(pw -> digest.answer(method, uri, pw)).toHeaderValue();
        }
        byte[] user = (cred.username() + ":").getBytes(StandardCharsets.UTF_8);
        return cred.secret().reveal(pw -> {
            byte[] both = new byte[user.length + pw.length];
            System.arraycopy(user, 0, both, 0, user.length);
            System.arraycopy(pw, 0, both, user.length, pw.length);
            String v = "Basic " + Base64.getEncoder().encodeToString(both);
            java.util.Arrays.fill(both, (byte) 0);
            return v;
        });
    }

    private static Map<String, String> transportParams(String transport) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String p : transport.split(";")) {
            int eq = p.indexOf('=');
            if (eq > 0) {
                m.put(p.substring(0, eq).trim().toLowerCase(Locale.ROOT), p.substring(eq + 1).trim());
            }
        }
        return m;
    }

    // ---- UDP ---------------------------------------------------------------------------------------------------

    private void bindUdp(Connection c, Track t, Runnable then) {
        bindOne(c, t, true, 0, () -> bindOne(c, t, false, t.rtpPort + 1, then));
    }

    private void bindOne(Connection c, Track t, boolean rtp, int port, Runnable then) {
        new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                        // only the server's address may feed the track: anyone can send to an open UDP port
                        if (conn != c || c.channel == null || !(c.channel.remoteAddress() instanceof InetSocketAddress
                                server) || !server.getAddress().equals(p.sender().getAddress())) {
                            return;
                        }
                        c.lastRead = scheduler.now();
                        if (rtp) {
                            t.receive(p.content());
                        } else {
                            t.receiveRtcp(p.content());
                        }
                    }
                })
                .bind(new InetSocketAddress(port)).addListener(f -> {
                    io.netty.channel.ChannelFuture cf = (io.netty.channel.ChannelFuture) f;
                    if (!f.isSuccess()) {
                        if (!rtp && port != 0) {
                            bindOne(c, t, false, 0, then);   // the next port was taken: any port will do
                            return;
                        }
                        fail(c, RtspErrorKind.CONNECT_FAILED, 0, "cannot bind UDP: " + f.cause().getMessage());
                        return;
                    }
                    c.udp.add(cf.channel());
                    if (conn != c) {
                        cf.channel().close();
                        return;
                    }
                    int bound = ((InetSocketAddress) cf.channel().localAddress()).getPort();
                    if (rtp) {
                        t.rtpPort = bound;
                    } else {
                        t.rtcpPort = bound;
                        t.rtcpSocket = cf.channel();
                    }
                    then.run();
                });
    }

    // ---- per connection ----------------------------------------------------------------------------------------

    private final class Connection {
        Channel channel;
        boolean connected;
        boolean closing;
        Cancellable timer;
        Cancellable keepAlive;
        Cancellable flush;
        Cancellable reports;
        Instant lastRead = scheduler.now();
        int cseq;
        Request pending;
        final ArrayDeque<Request> queue = new ArrayDeque<>();
        String sessionId;
        int sessionTimeout = DEFAULT_SESSION_TIMEOUT_S;
        boolean getParameter;
        SessionDescription description;
        final List<Track> tracks = new ArrayList<>();
        final List<Channel> udp = new ArrayList<>();

        URI aggregate() {
            return description == null ? cfg.uri() : description.control();
        }

        void request(HttpMethod method, String uri, Map<String, String> headers, Consumer<FullHttpResponse> ok) {
            Request r = new Request(method, uri, headers, ok);
            if (pending != null) {
                queue.add(r);
            } else {
                send(r);
            }
        }

        void send(Request r) {
            if (conn != this) {
                return;
            }
            pending = r;
            FullHttpRequest req = newRequest(r.method, r.uri, r.headers);
            r.cseq = cseq;
            r.timeout = scheduler.schedule(cfg.responseTimeout(), () -> {
                if (pending == r) {
                    fail(this, RtspErrorKind.RESPONSE_TIMEOUT, 0, r.method + " unanswered for "
                            + cfg.responseTimeout());
                }
            }, loop);
            channel.writeAndFlush(req);
        }

        FullHttpRequest newRequest(HttpMethod method, String uri, Map<String, String> headers) {
            FullHttpRequest req = new DefaultFullHttpRequest(RtspVersions.RTSP_1_0, method, uri);
            req.headers().set(RtspHeaderNames.CSEQ, Integer.toString(++cseq));
            req.headers().set(RtspHeaderNames.USER_AGENT, cfg.userAgent());
            if (sessionId != null) {
                req.headers().set(RtspHeaderNames.SESSION, sessionId);
            }
            headers.forEach((k, v) -> req.headers().set(k, v));
            String auth = authorization(method.name(), uri);
            if (auth != null) {
                req.headers().set(RtspHeaderNames.AUTHORIZATION, auth);
            }
            return req;
        }

        void response(FullHttpResponse r) {
            Request p = pending;
            if (p == null || !Integer.toString(p.cseq).equals(r.headers().get(RtspHeaderNames.CSEQ, "").trim())) {
                return;   // an answer to nothing we wait for (e.g. to an abandoned keep-alive)
            }
            p.timeout.cancel();
            pending = null;
            int status = r.status().code();
            if (status == 401) {
                boolean stale = false;
                for (String v : r.headers().getAll(RtspHeaderNames.WWW_AUTHENTICATE)) {
                    stale |= v.toLowerCase(Locale.ROOT).replace(" ", "").contains("stale=true");
                }
                // any 401, also mid-session, is answered once; a second in a row means the login is wrong, unless
                // the server only says the nonce went stale
                if ((p.authTries == 0 || (stale && p.authTries < 3)) && challenged(r)) {
                    p.authTries++;
                    send(p);
                    return;
                }
                fail(this, RtspErrorKind.AUTHENTICATION_FAILED, 401, p.method + " refused: "
                        + (cfg.credentials() == null ? "no credentials" : "credentials rejected"));
                return;
            }
            if (status == 461 && p.method.equals(RtspMethods.SETUP)) {
                refuseTransport(this, "461 Unsupported Transport");
                return;
            }
            if (status < 200 || status > 299) {
                fail(this, RtspErrorKind.BAD_STATUS, status, p.method + " answered " + r.status());
                return;
            }
            p.ok.accept(r);
            if (pending == null && !queue.isEmpty() && conn == this) {
                send(queue.poll());
            }
        }

        void release(boolean closeChannel) {
            if (timer != null) {
                timer.cancel();
            }
            if (keepAlive != null) {
                keepAlive.cancel();
            }
            if (flush != null) {
                flush.cancel();
            }
            if (reports != null) {
                reports.cancel();
            }
            if (pending != null && pending.timeout != null) {
                pending.timeout.cancel();
            }
            pending = null;
            queue.clear();
            closing = true;
            if (closeChannel && channel != null) {
                channel.close();
            }
            udp.forEach(Channel::close);
            tracks.forEach(t -> {
                t.jitter.flush();
                if (t.depacketizer != null) {
                    t.depacketizer.flush();
                }
            });
        }
    }

    private static final class Request {
        final HttpMethod method;
        final String uri;
        final Map<String, String> headers;
        final Consumer<FullHttpResponse> ok;
        int cseq;
        int authTries;
        Cancellable timeout;

        Request(HttpMethod method, String uri, Map<String, String> headers, Consumer<FullHttpResponse> ok) {
            this.method = method;
            this.uri = uri;
            this.headers = headers;
            this.ok = ok;
        }
    }

    private final class Track {
        final Connection c;
        final MediaDescription md;
        final JitterBuffer jitter;
        final Depacketizer depacketizer;
        int rtpChannel = -1;
        int rtpPort;
        int rtcpPort;
        int serverRtcpPort;
        Channel rtcpSocket;
        NtpTimestamp lastSr;
        Instant lastSrAt;

        Track(Connection c, MediaDescription md) {
            this.c = c;
            this.md = md;
            VideoCodec codec = md.videoCodec();
            Depacketizer.Sink sink = new Depacketizer.Sink() {
                @Override
                public void accessUnit(AccessUnit unit) {
                    if (conn == c) {
                        safely(() -> listener.accessUnit(md, unit));
                    }
                }

                @Override
                public void invalid(VideoInvalid invalid) {
                    if (conn == c) {
                        safely(() -> listener.videoInvalid(md, invalid));
                    }
                }
            };
            if (codec == VideoCodec.H264) {
                depacketizer = new H264Depacketizer(md.parameterSets(), cfg.maxAccessUnit(), sink);
            } else if (codec == VideoCodec.H265) {
                depacketizer = new H265Depacketizer(md.parameterSets(), cfg.maxAccessUnit(), sink);
            } else {
                depacketizer = null;
            }
            // TCP delivers in order: a gap (a camera dropping packets it could not send) is passed at once rather
            // than held behind, so reordering is only for UDP
            int depth = cfg.transports().get(transportIndex) == RtspTransport.UDP ? REORDER_DEPTH : 0;
            jitter = new JitterBuffer(depth, md.clockRate(), p -> {
                if (depacketizer != null) {
                    depacketizer.receive(p);
                } else if (conn == c) {
                    safely(() -> listener.rtp(md, p));
                }
            });
        }

        void receiveRtcp(ByteBuf content) {
            byte[] b = ByteBufUtil.getBytes(content);
            if (RtcpCodec.INSTANCE.decode(b, 0, b.length) instanceof RtcpDecodeResult.Valid v) {
                for (RtcpPacket p : v.packets()) {
                    if (p instanceof RtcpPacket.SenderReport sr) {
                        lastSr = sr.ntp();
                        lastSrAt = scheduler.now();
                        if (conn == c) {
                            safely(() -> listener.senderReport(md, sr));
                        }
                    }
                }
            }
        }

        void receive(ByteBuf content) {
            byte[] b = ByteBufUtil.getBytes(content);
            // packets of another payload type (e.g. a server's comfort noise) are not this track's media
            if (RtpPacket.decode(b, 0, b.length) instanceof RtpDecodeResult.Valid v
                    && v.packet().payloadType() == md.payloadType()) {
                jitter.offer(v.packet(), System.nanoTime());
            }
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<Object> {
        private final Connection c;

        Handler(Connection c) {
            this.c = c;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            c.channel = ctx.channel();
            if (conn != c) {
                ctx.close();
                return;
            }
            onConnected(c);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!c.closing) {
                fail(c, RtspErrorKind.CONNECTION_LOST, 0, "connection closed by the peer");
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (conn != c) {
                return;
            }
            c.lastRead = scheduler.now();
            if (msg instanceof InterleavedFrame f) {
                for (Track t : c.tracks) {
                    if (t.rtpChannel == f.channel()) {
                        t.receive(f.content());
                    } else if (t.rtpChannel + 1 == f.channel()) {
                        t.receiveRtcp(f.content());
                    }
                }
            } else if (msg instanceof FullHttpResponse r) {
                if (r.decoderResult().isFailure()) {
                    fail(c, RtspErrorKind.BAD_RESPONSE, 0, "undecodable response: " + r.decoderResult().cause());
                    return;
                }
                c.response(r);
            } else if (msg instanceof FullHttpRequest q) {
                answerServer(ctx, q);
            } else if (msg instanceof RtspStreamSplitter.Invalid bad) {
                if (bad.fatal()) {
                    fail(c, bad.kind(), 0, bad.detail());
                } else {
                    safely(() -> listener.error(new RtspError(bad.kind(), 0, bad.detail())));
                }
            }
        }

        /** Requests from the server (RFC 2326 §10: OPTIONS or GET_PARAMETER as its own keep-alive, ANNOUNCE, …). */
        private void answerServer(ChannelHandlerContext ctx, FullHttpRequest q) {
            HttpMethod m = q.method();
            boolean known = m.equals(RtspMethods.OPTIONS) || m.equals(RtspMethods.GET_PARAMETER)
                    || m.equals(RtspMethods.SET_PARAMETER);
            FullHttpResponse a = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0,
                    known ? RtspResponseStatuses.OK : RtspResponseStatuses.NOT_IMPLEMENTED);
            a.headers().set(RtspHeaderNames.CSEQ, q.headers().get(RtspHeaderNames.CSEQ, "0"));
            a.headers().set(RtspHeaderNames.CONTENT_LENGTH, "0");
            ctx.writeAndFlush(a);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(c, RtspErrorKind.CONNECTION_LOST, 0, String.valueOf(cause.getMessage()));
        }
    }
}
