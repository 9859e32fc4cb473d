package org.arc4j.gb28181.media.internal;

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
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import org.arc4j.media.rtp.Rfc4571FrameDecoder;
import org.arc4j.media.rtp.RtpDecodeResult;
import org.arc4j.media.rtp.RtpPacket;
import org.arc4j.media.rtp.TcpFramingInvalid;

/**
 * The network end of one media dialog: a UDP socket pair (RTP datagrams on one port, RTCP on the port above it,
 * RFC 3550 §11), a TCP listener (the device connects, {@code a=setup:passive}) or a TCP connection the platform
 * opens ({@code a=setup:active}); over TCP each RTP or RTCP packet is framed by a 16-bit length (RFC 4571 §2) on the
 * same connection, told apart by the packet type (RFC 5761 §4). Decoded RTP packets go to the {@link Sink} on a
 * Netty event loop, RTCP as bytes; what does not decode is counted and dropped. It also sends: RTP to the device
 * (talk, broadcast) and RTCP reports. Thread-safe.
 */
public final class RtpReceiver implements AutoCloseable {
    /** Receives packets on a Netty event loop. */
    public interface Sink {
        /**
         * An RTP packet.
         *
         * @param packet the packet
         */
        void packet(RtpPacket packet);

        /** A datagram or frame that is not RTP, or a framing error; counted by the session. */
        void invalid();

        /**
         * An RTCP compound packet, from the RTCP port or the TCP connection.
         *
         * @param packet its bytes
         * @param tcp    whether it came on the TCP media connection
         */
        default void rtcp(byte[] packet, boolean tcp) {
        }

        /** The device's TCP media connection closed (by the device, a reset, or a framing error). */
        default void connectionClosed() {
        }
    }

    private static final int UDP_RECEIVE_BUFFER = 4 << 20;

    /** The attempts at a free pair of adjacent UDP ports. */
    private static final int PAIR_ATTEMPTS = 20;

    private final Channel channel;
    private final Channel rtcpChannel;
    private final boolean tcp;
    private final List<Channel> connections = new CopyOnWriteArrayList<>();
    /** Where RTP goes over UDP: the device's address from its SDP. */
    private volatile InetSocketAddress remote;

    private RtpReceiver(Channel channel, Channel rtcpChannel, boolean tcp) {
        this.channel = channel;
        this.rtcpChannel = rtcpChannel;
        this.tcp = tcp;
        if (tcp && channel instanceof SocketChannel) {
            connections.add(channel);
        }
    }

    /**
     * Binds a UDP socket.
     *
     * @param group the event loops
     * @param local the address to bind (port 0 for any)
     * @param sink  where packets go
     * @return the receiver
     * @throws InterruptedException if interrupted while binding
     */
    public static RtpReceiver udp(EventLoopGroup group, InetSocketAddress local, Sink sink)
            throws InterruptedException {
        // RTCP on the port above RTP (RFC 3550 §11), where devices send their sender reports: bind both or neither
        for (int i = 0; ; i++) {
            Channel rtp = udpChannel(group, local, sink, false);
            int port = ((InetSocketAddress) rtp.localAddress()).getPort();
            if (local.getPort() == 0 && port < 65_535) {
                try {
                    Channel rtcp = udpChannel(group, new InetSocketAddress(local.getAddress(), port + 1), sink, true);
                    return new RtpReceiver(rtp, rtcp, false);
                } catch (RuntimeException e) {
                    rtp.close();
                    if (i + 1 >= PAIR_ATTEMPTS) {
                        throw e;
                    }
                    continue;
                }
            }
            return new RtpReceiver(rtp, null, false);
        }
    }

    private static Channel udpChannel(EventLoopGroup group, InetSocketAddress local, Sink sink, boolean rtcpPort)
            throws InterruptedException {
        ChannelFuture f = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, UDP_RECEIVE_BUFFER)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                        decode(p.content(), sink, rtcpPort, false);
                    }
                }).bind(local);
        f.await();
        if (!f.isSuccess()) {
            throw new IllegalStateException("cannot bind " + local + ": " + f.cause(), f.cause());
        }
        return f.channel();
    }

    /**
     * Listens for the device's TCP connection (RFC 4571 framing).
     *
     * @param group the event loops
     * @param local the address to listen on (port 0 for any)
     * @param sink  where packets go
     * @return the receiver
     * @throws InterruptedException if interrupted while binding
     */
    public static RtpReceiver tcpPassive(EventLoopGroup group, InetSocketAddress local, Sink sink)
            throws InterruptedException {
        RtpReceiver[] self = new RtpReceiver[1];
        ChannelFuture f = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        self[0].connections.add(ch);
                        ch.pipeline().addLast(new Rfc4571FrameDecoder(Rfc4571FrameDecoder.MAX_LENGTH),
                                new FrameHandler(sink));
                    }
                }).bind(local).sync();
        self[0] = new RtpReceiver(f.channel(), null, true);
        return self[0];
    }

    /**
     * A receiver that will connect to the device ({@code a=setup:active}); it has no socket until
     * {@link #connect}.
     *
     * @param group  the event loops
     * @param remote the device's media address from its answer
     * @param sink   where packets go
     * @return a future of the connected receiver
     */
    public static CompletableFuture<RtpReceiver> tcpActive(EventLoopGroup group, InetSocketAddress remote,
                                                           Sink sink) {
        CompletableFuture<RtpReceiver> result = new CompletableFuture<>();
        new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Rfc4571FrameDecoder(Rfc4571FrameDecoder.MAX_LENGTH),
                                new FrameHandler(sink));
                    }
                }).connect(remote).addListener((ChannelFuture f) -> {
                    if (f.isSuccess()) {
                        result.complete(new RtpReceiver(f.channel(), null, true));
                    } else {
                        result.completeExceptionally(f.cause());
                    }
                });
        return result;
    }

    /**
     * Sets where RTP goes over UDP.
     *
     * @param to the device's media address
     */
    public void remote(InetSocketAddress to) {
        this.remote = to;
    }

    /**
     * Sends an RTP packet to the device: over UDP to the {@linkplain #remote remote address}, over TCP framed on the
     * media connection (the newest, for a listener the device connected to more than once).
     *
     * @param rtp the packet's bytes
     * @return false when there is nowhere to send it yet (no remote address, no connection)
     */
    public boolean send(byte[] rtp) {
        if (tcp) {
            return sendFramed(rtp);
        }
        InetSocketAddress to = remote;
        if (to == null) {
            return false;
        }
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(rtp), to));
        return true;
    }

    /**
     * Sends an RTCP packet: over TCP framed on the media connection, over UDP from the RTCP port (else the RTP
     * port) to {@code udpTo}.
     *
     * @param rtcp  the compound packet's bytes
     * @param udpTo the device's RTCP address, used over UDP only
     * @return false when there is nowhere to send it
     */
    public boolean sendRtcp(byte[] rtcp, InetSocketAddress udpTo) {
        if (tcp) {
            return sendFramed(rtcp);
        }
        Channel c = rtcpChannel != null ? rtcpChannel : channel;
        c.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(rtcp), udpTo));
        return true;
    }

    /** @return true over TCP */
    public boolean isTcp() {
        return tcp;
    }

    private boolean sendFramed(byte[] packet) {
        Channel c = null;
        for (Channel each : connections) {
            if (each.isActive()) {
                c = each;
            }
        }
        if (c == null || packet.length > Rfc4571FrameDecoder.MAX_LENGTH) {
            return false;
        }
        ByteBuf b = c.alloc().buffer(2 + packet.length);
        b.writeShort(packet.length).writeBytes(packet);
        c.writeAndFlush(b);
        return true;
    }

    /** @return the bound or connected local address */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Closes the socket and any accepted connection. */
    @Override
    public void close() {
        channel.close();
        if (rtcpChannel != null) {
            rtcpChannel.close();
        }
        for (Channel c : connections) {
            c.close();
        }
    }

    private static void decode(ByteBuf content, Sink sink, boolean rtcpPort, boolean tcp) {
        byte[] bytes = ByteBufUtil.getBytes(content);
        // RTCP packet types 200-204 fall where RTP payload types 72-76 with the marker would (RFC 5761 §4)
        if (rtcpPort || (bytes.length >= 8 && (bytes[1] & 0xFF) >= 200 && (bytes[1] & 0xFF) <= 204)) {
            sink.rtcp(bytes, tcp);
            return;
        }
        RtpDecodeResult r = RtpPacket.decode(bytes, 0, bytes.length);
        if (r instanceof RtpDecodeResult.Valid v) {
            sink.packet(v.packet());
        } else {
            sink.invalid();
        }
    }

    /** One TCP connection's frames. */
    private static final class FrameHandler extends SimpleChannelInboundHandler<Object> {
        private final Sink sink;

        FrameHandler(Sink sink) {
            this.sink = sink;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b) {
                decode(b, sink, false, true);
            } else if (msg instanceof TcpFramingInvalid) {
                sink.invalid();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            sink.connectionClosed();
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
