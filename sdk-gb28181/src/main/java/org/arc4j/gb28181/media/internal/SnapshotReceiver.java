package org.arc4j.gb28181.media.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.function.BiPredicate;

/**
 * The HTTP endpoint devices upload captured pictures to (GB/T 28181-2022 §9.14: the {@code UploadURL} of a
 * {@code SnapShotConfig}): {@code POST} or {@code PUT} of {@code /snapshot/<SessionID>/<anything>} with the image as
 * the body, at most {@value #MAX_PICTURE} bytes (413 beyond). An upload for a session not waiting gets 404. Runs on
 * the media event loops; thread-safe.
 */
final class SnapshotReceiver implements AutoCloseable {
    /** The largest picture taken. */
    static final int MAX_PICTURE = 4 << 20;
    static final String PATH = "/snapshot/";

    private final Channel server;

    /**
     * @param group    the event loops
     * @param local    where to listen
     * @param delivery takes (session ID, picture bytes); false when no such session waits
     */
    SnapshotReceiver(EventLoopGroup group, InetSocketAddress local, BiPredicate<String, byte[]> delivery)
            throws InterruptedException {
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_PICTURE),
                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                        respond(ctx, handle(req, delivery));
                                    }
                                });
                    }
                }).bind(local).sync().channel();
    }

    private static HttpResponseStatus handle(FullHttpRequest req, BiPredicate<String, byte[]> delivery) {
        if (!req.method().equals(HttpMethod.POST) && !req.method().equals(HttpMethod.PUT)) {
            return HttpResponseStatus.METHOD_NOT_ALLOWED;
        }
        String uri = req.uri();
        if (!uri.startsWith(PATH) || !req.decoderResult().isSuccess()) {
            return HttpResponseStatus.NOT_FOUND;
        }
        String rest = uri.substring(PATH.length());
        int slash = rest.indexOf('/');
        String session = slash < 0 ? rest : rest.substring(0, slash);
        if (req.content().readableBytes() == 0) {
            return HttpResponseStatus.BAD_REQUEST;
        }
        return delivery.test(session, ByteBufUtil.getBytes(req.content())) ? HttpResponseStatus.OK
                : HttpResponseStatus.NOT_FOUND;
    }

    private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    /** @return the bound address */
    InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        server.close();
    }
}
