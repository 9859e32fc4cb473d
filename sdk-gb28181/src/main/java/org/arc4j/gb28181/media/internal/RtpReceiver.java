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
 * The network end of one media session: a UDP socket (RTP datagrams), a TCP listener (the device connects,
 * {@code a=setup:passive}) or a TCP connection the platform opens ({@code a=setup:active}); over TCP each RTP
 * packet is framed by a 16-bit length (RFC 4571 §2). Decoded packets go to the {@link Sink} on a Netty event loop;
 * what does not decode is counted and dropped. Thread-safe.
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

        /** The device's TCP media connection closed (by the device, a reset, or a framing error). */
        default void connectionClosed() {
        }
    }

    private static final int UDP_RECEIVE_BUFFER = 4 << 20;

    private final Channel channel;
    private final List<Channel> connections = new CopyOnWriteArrayList<>();

    private RtpReceiver(Channel channel) {
        this.channel = channel;
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
        ChannelFuture f = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, UDP_RECEIVE_BUFFER)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                        decode(p.content(), sink);
                    }
                }).bind(local).sync();
        return new RtpReceiver(f.channel());
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
        self[0] = new RtpReceiver(f.channel());
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
                        result.complete(new RtpReceiver(f.channel()));
                    } else {
                        result.completeExceptionally(f.cause());
                    }
                });
        return result;
    }

    /**
     * Sends a datagram from the UDP socket (RTCP reports to the device).
     *
     * @param data the bytes
     * @param to   where
     */
    public void sendDatagram(byte[] data, InetSocketAddress to) {
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(data), to));
    }

    /** @return the bound or connected local address */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Closes the socket and any accepted connection. */
    @Override
    public void close() {
        channel.close();
        for (Channel c : connections) {
            c.close();
        }
    }

    private static void decode(ByteBuf content, Sink sink) {
        byte[] bytes = ByteBufUtil.getBytes(content);
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
                decode(b, sink);
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
