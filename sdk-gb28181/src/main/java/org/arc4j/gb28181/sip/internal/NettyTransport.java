package org.arc4j.gb28181.sip.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;
import org.arc4j.gb28181.sip.SipEncoder;
import org.arc4j.gb28181.sip.SipMessage;
import org.arc4j.gb28181.sip.SipParseResult;
import org.arc4j.gb28181.sip.SipParser;
import org.arc4j.gb28181.sip.SipPeer;
import org.arc4j.gb28181.sip.SipTransport;

/**
 * SIP over Netty: one UDP socket and one TCP listener, with outgoing TCP connections reused per remote
 * address (RFC 3261 §18.1.1, §18.2.2). Datagram receive buffers hold a full 64 KiB datagram (a large Catalog
 * answer); Netty's adaptive default would truncate it.
 */
public final class NettyTransport implements AutoCloseable {
    /** The receive buffer per datagram: the largest UDP payload fits. */
    public static final int DATAGRAM_BUFFER = 65536;
    /** SO_RCVBUF asked of the kernel for the UDP socket, so bursts of keepalives are not dropped. */
    public static final int SOCKET_RECEIVE_BUFFER = 1 << 20;

    /** What the transport hands up. */
    public interface Inbound {
        /**
         * @param result the parse result (Parsed or Invalid)
         * @param source where it came from
         */
        void onReceive(SipParseResult result, SipPeer source);

        /**
         * A TCP connection closed.
         *
         * @param peer its remote end
         */
        default void onConnectionClosed(SipPeer peer) {
        }
    }

    private final SipParser parser;
    private final Inbound inbound;
    private final EventLoopGroup group;
    private final boolean ownGroup;
    private final Map<InetSocketAddress, Channel> tcp = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, CompletableFuture<Channel>> connecting = new ConcurrentHashMap<>();
    private final int maxMessageBytes;
    private Channel udp;
    private Channel tcpServer;
    private volatile Cancellable idleSweep;
    private volatile Clock idleClock;

    /**
     * @param parser  the parser
     * @param inbound where messages go
     * @param group   the event loop group to use, or null to make one with one thread
     */
    public NettyTransport(SipParser parser, Inbound inbound, EventLoopGroup group) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.maxMessageBytes = parser.limits().maxMessageBytes();
        this.inbound = Objects.requireNonNull(inbound, "inbound");
        this.ownGroup = group == null;
        this.group = group != null ? group : new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    /**
     * Binds the sockets.
     *
     * @param udpAddress where to bind UDP, or null for none
     * @param tcpAddress where to listen for TCP, or null for none
     * @throws InterruptedException if interrupted while binding
     */
    public void bind(InetSocketAddress udpAddress, InetSocketAddress tcpAddress) throws InterruptedException {
        if (udpAddress != null) {
            udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DATAGRAM_BUFFER))
                    .option(ChannelOption.SO_RCVBUF, SOCKET_RECEIVE_BUFFER)
                    .handler(new DatagramHandler())
                    .bind(udpAddress).sync().channel();
        }
        if (tcpAddress != null) {
            tcpServer = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new StreamInitializer())
                    .bind(tcpAddress).sync().channel();
        }
    }

    /** @return the bound UDP address, or null */
    public InetSocketAddress udpAddress() {
        return udp == null ? null : (InetSocketAddress) udp.localAddress();
    }

    /** @return the bound TCP address, or null */
    public InetSocketAddress tcpAddress() {
        return tcpServer == null ? null : (InetSocketAddress) tcpServer.localAddress();
    }

    /** @return the actual kernel receive buffer of the UDP socket, in bytes, or -1 */
    public int udpReceiveBuffer() {
        return udp == null ? -1 : udp.config().getOption(ChannelOption.SO_RCVBUF);
    }

    /** @return the number of open TCP connections */
    public int tcpConnections() {
        return tcp.size();
    }

    /**
     * @param remote a remote address
     * @return true if a TCP connection to or from it is open
     */
    public boolean isConnected(InetSocketAddress remote) {
        Channel ch = tcp.get(remote);
        return ch != null && ch.isActive();
    }

    /**
     * Sends a message.
     *
     * @param message the message
     * @param peer    where to
     * @return completes when written, exceptionally if the peer cannot be reached
     */
    public CompletableFuture<Void> send(SipMessage message, SipPeer peer) {
        byte[] bytes = SipEncoder.INSTANCE.encode(message);
        return sendBytes(bytes, peer);
    }

    /**
     * Sends encoded bytes.
     *
     * @param bytes the message bytes
     * @param peer  where to
     * @return completes when written
     */
    public CompletableFuture<Void> sendBytes(byte[] bytes, SipPeer peer) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (peer.transport() == SipTransport.UDP) {
            if (udp == null) {
                done.completeExceptionally(new IllegalStateException("UDP not bound"));
                return done;
            }
            complete(udp.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), peer.address())), done);
            return done;
        }
        connection(peer.address()).whenComplete((ch, err) -> {
            if (err != null) {
                done.completeExceptionally(err);
            } else {
                complete(ch.writeAndFlush(Unpooled.wrappedBuffer(bytes)), done);
            }
        });
        return done;
    }

    private static void complete(ChannelFuture f, CompletableFuture<Void> done) {
        f.addListener(x -> {
            if (x.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(x.cause());
            }
        });
    }

    private CompletableFuture<Channel> connection(InetSocketAddress to) {
        Channel ch = tcp.get(to);
        if (ch != null && ch.isActive()) {
            return CompletableFuture.completedFuture(ch);
        }
        return connecting.computeIfAbsent(to, addr -> {
            CompletableFuture<Channel> f = new CompletableFuture<>();
            new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                    .handler(new StreamInitializer())
                    .connect(addr).addListener((ChannelFuture cf) -> {
                        connecting.remove(addr);
                        if (cf.isSuccess()) {
                            tcp.put(addr, cf.channel());
                            f.complete(cf.channel());
                        } else {
                            f.completeExceptionally(cf.cause());
                        }
                    });
            return f;
        });
    }

    /**
     * Closes TCP connections on which nothing was received for {@code idle}: a device that vanished without a
     * FIN (power cut, NAT state lost) would otherwise hold its connection, and its file descriptor, for ever.
     * Checked on the scheduler every quarter of {@code idle} (at least every second), so tests run on virtual
     * time.
     *
     * @param scheduler the scheduler to sweep on
     * @param idle      the longest silence allowed on a connection
     */
    public void idleTimeout(Scheduler scheduler, Duration idle) {
        if (idle.isZero() || idle.isNegative()) {
            throw new IllegalArgumentException("idle timeout must be positive: " + idle);
        }
        idleClock = scheduler.clock();
        long idleMillis = idle.toMillis();
        Duration every = Duration.ofMillis(Math.max(1000, idleMillis / 4));
        Cancellable old = idleSweep;
        if (old != null) {
            old.cancel();
        }
        idleSweep = scheduler.scheduleAtFixedRate(every, () -> {
            long now = idleClock.millis();
            for (Channel ch : tcp.values()) {
                StreamDecoder d = ch.pipeline().get(StreamDecoder.class);
                if (d != null && now - d.lastRead >= idleMillis) {
                    ch.close();
                }
            }
        });
    }

    @Override
    public void close() {
        Cancellable sweep = idleSweep;
        if (sweep != null) {
            sweep.cancel();
        }
        if (udp != null) {
            udp.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (tcpServer != null) {
            tcpServer.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        for (Channel ch : tcp.values()) {
            ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (ownGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    private final class DatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf content = packet.content();
            byte[] bytes = ByteBufUtil.getBytes(content);
            SipPeer source = new SipPeer(SipTransport.UDP, packet.sender());
            boolean keepAlive = true;
            for (byte b : bytes) {
                if (b != '\r' && b != '\n') {
                    keepAlive = false;
                    break;
                }
            }
            if (keepAlive) {
                return; // RFC 5626 CRLF keep-alive
            }
            inbound.onReceive(parser.parseDatagram(bytes, 0, bytes.length), source);
        }
    }

    private final class StreamInitializer extends ChannelInitializer<SocketChannel> {
        @Override
        protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new StreamDecoder());
        }
    }

    /**
     * Frames SIP messages on a stream (RFC 3261 §18.3) without re-reading what it has already looked at: the
     * bytes are scanned once for the end of the headers, the Content-Length is read from the header block, and
     * only a complete message is copied and handed to the parser. A header block or message over the size
     * limit is refused (the parser's typed error, then the connection closes).
     */
    private final class StreamDecoder extends ByteToMessageDecoder {
        private SipPeer peer;
        /** How far from the reader index the search for the end of the headers has got. */
        private int scanned;
        /** The whole message's length once the headers are complete, or -1. */
        private int frame = -1;
        volatile long lastRead;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
            peer = new SipPeer(SipTransport.TCP, remote);
            Clock c = idleClock;
            lastRead = c == null ? 0 : c.millis();
            tcp.putIfAbsent(remote, ctx.channel());
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            tcp.remove((InetSocketAddress) ctx.channel().remoteAddress(), ctx.channel());
            super.channelInactive(ctx);
            if (peer != null) {
                inbound.onConnectionClosed(peer);
            }
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            Clock c = idleClock;
            if (c != null) {
                lastRead = c.millis();
            }
            while (in.isReadable()) {
                if (frame < 0) {
                    while (in.isReadable() && (in.getByte(in.readerIndex()) == '\r'
                            || in.getByte(in.readerIndex()) == '\n')) {
                        in.skipBytes(1); // RFC 5626 keep-alives and stray line ends between messages
                        scanned = 0;
                    }
                    int n = in.readableBytes();
                    if (n == 0) {
                        return;
                    }
                    int headerEnd = headerEnd(in, in.readerIndex(), n);
                    if (headerEnd < 0) {
                        scanned = Math.max(0, n - 3);
                        if (n > maxMessageBytes) {
                            refuse(ctx, in);
                        }
                        return;
                    }
                    int length = contentLength(in, in.readerIndex(), headerEnd);
                    // no or bad Content-Length on a stream, or too large: the headers alone get the parser's error
                    frame = length < 0 || (long) headerEnd + length > maxMessageBytes ? headerEnd : headerEnd + length;
                }
                if (in.readableBytes() < frame) {
                    return;
                }
                byte[] bytes = ByteBufUtil.getBytes(in, in.readerIndex(), frame);
                int length = frame;
                frame = -1;
                scanned = 0;
                SipParseResult r = parser.parseStream(bytes, 0, length);
                if (r instanceof SipParseResult.Parsed p) {
                    in.skipBytes(p.consumed());
                    inbound.onReceive(r, peer);
                } else {
                    in.skipBytes(in.readableBytes());
                    if (r instanceof SipParseResult.Invalid) {
                        inbound.onReceive(r, peer);
                    }
                    // framing is lost on a stream: after the 400 the connection goes
                    ctx.executor().schedule(() -> ctx.close(), 200, TimeUnit.MILLISECONDS);
                    return;
                }
            }
        }

        private void refuse(ChannelHandlerContext ctx, ByteBuf in) {
            byte[] head = ByteBufUtil.getBytes(in, in.readerIndex(), Math.min(in.readableBytes(), maxMessageBytes + 1));
            in.skipBytes(in.readableBytes());
            SipParseResult r = parser.parseStream(head, 0, head.length);
            if (r instanceof SipParseResult.Invalid) {
                inbound.onReceive(r, peer);
            }
            ctx.executor().schedule(() -> ctx.close(), 200, TimeUnit.MILLISECONDS);
        }

        /** @return the index after the blank line ending the headers (CRLFCRLF or LFLF), or -1 */
        private int headerEnd(ByteBuf in, int from, int n) {
            int end = from + n;
            for (int i = from + scanned; i < end; i++) {
                if (in.getByte(i) != '\n') {
                    continue;
                }
                if (i + 1 < end && in.getByte(i + 1) == '\n') {
                    return i + 2 - from;
                }
                if (i + 2 < end && in.getByte(i + 1) == '\r' && in.getByte(i + 2) == '\n') {
                    return i + 3 - from;
                }
            }
            return -1;
        }

        /** @return the Content-Length (or compact {@code l}) value in the header block, or -1 */
        private int contentLength(ByteBuf in, int from, int headerLength) {
            int end = from + headerLength;
            int line = from;
            while (line < end) {
                int eol = line;
                while (eol < end && in.getByte(eol) != '\n') {
                    eol++;
                }
                int colon = -1;
                for (int i = line; i < eol; i++) {
                    if (in.getByte(i) == ':') {
                        colon = i;
                        break;
                    }
                }
                if (colon > line) {
                    String name = in.toString(line, colon - line, StandardCharsets.US_ASCII).trim();
                    if (name.equalsIgnoreCase("Content-Length") || name.equals("l")) {
                        String v = in.toString(colon + 1, eol - colon - 1, StandardCharsets.US_ASCII).trim();
                        try {
                            long len = Long.parseLong(v);
                            return len < 0 || len > Integer.MAX_VALUE / 2 ? -1 : (int) len;
                        } catch (NumberFormatException e) {
                            return -1;
                        }
                    }
                }
                line = eol + 1;
            }
            return -1;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
