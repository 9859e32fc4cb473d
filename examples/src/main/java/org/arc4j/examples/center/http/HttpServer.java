package org.arc4j.examples.center.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference centre's HTTP and WebSocket server on Netty's codec-http: JSON API routes from a
 * {@link Router}, the console's static files from the class path, and the console WebSocket at {@code /ws}
 * (authenticated by a {@code token} query parameter, since browsers cannot set headers on WebSockets).
 *
 * <p>Handlers run on a worker pool, never on the event loop, because they may read the journal.
 *
 * <p>Bounded, since it faces the network before anyone has logged in ({@link Limits}, defaults in
 * {@link Limits#DEFAULT}): a request body larger than {@code maxBody} is refused with 413 from its
 * {@code Content-Length} before it is read; at most {@code maxConnections} connections are open (more are closed
 * at once); a connection that sends nothing for {@code idleTimeout} is closed (a console WebSocket is exempt: it
 * is authenticated and kept open by the browser); one request per connection is handled at a time and pipelined
 * requests wait, so responses go out in request order; a worker pool whose queue is full answers 503 with
 * {@code Retry-After}.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    /** Pipelined requests a connection may have waiting behind the one being handled before it is closed. */
    private static final int MAX_WAITING = 16;
    private static final String STATIC_ROOT = "/org/arc4j/examples/center/console/";

    private final InetSocketAddress bind;
    private final Router router;
    private final ExecutorService workers;
    private final WebSocketHub hub;
    private final Predicate<String> wsTokenValid;
    private final Limits limits;
    private final AtomicInteger connections = new AtomicInteger();
    private EventLoopGroup group;
    private Channel server;
    private final Map<String, SocketOpener> sockets = new java.util.concurrent.ConcurrentHashMap<>();

    /** Serves one kind of authenticated WebSocket besides the console's, e.g. {@code /ws/video}. */
    @FunctionalInterface
    public interface SocketOpener {
        /**
         * A WebSocket whose handshake is done and whose token was valid. Called on the connection's event loop:
         * must not block.
         *
         * @param channel the WebSocket (write {@code WebSocketFrame}s to it)
         * @param params  the query parameters of the upgrade request
         */
        void open(Channel channel, Map<String, java.util.List<String>> params);
    }

    /**
     * Adds a WebSocket path under {@code /ws/} (authenticated by the same {@code token} parameter as the console's).
     * Call before {@link #start()}.
     *
     * @param path   the path, e.g. {@code /ws/video}
     * @param opener what serves it
     * @return this
     */
    public HttpServer socket(String path, SocketOpener opener) {
        sockets.put(path, Objects.requireNonNull(opener, "opener"));
        return this;
    }

    /**
     * A server, not yet started.
     *
     * @param bind         address and port (port 0 picks a free one)
     * @param router       the API routes
     * @param workers      where handlers run
     * @param hub          the console WebSockets
     * @param wsTokenValid checks the token a console WebSocket presents
     */
    public HttpServer(InetSocketAddress bind, Router router, ExecutorService workers, WebSocketHub hub,
                      Predicate<String> wsTokenValid) {
        this(bind, router, workers, hub, wsTokenValid, Limits.DEFAULT);
    }

    /**
     * The bounds of a server.
     *
     * @param maxBody        the largest request body, bytes
     * @param maxConnections the most open connections
     * @param idleTimeout    how long a connection may send nothing before it is closed
     */
    public record Limits(int maxBody, int maxConnections, Duration idleTimeout) {
        /** 1 MiB bodies, 1,024 connections, 60 s idle. */
        public static final Limits DEFAULT = new Limits(1024 * 1024, 1024, Duration.ofSeconds(60));

        /** Validates the bounds. */
        public Limits {
            if (maxBody < 1 || maxConnections < 1 || idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }
    }

    /**
     * A server with explicit bounds, not yet started.
     *
     * @param bind         address and port (port 0 picks a free one)
     * @param router       the API routes
     * @param workers      where handlers run (give it a bounded queue: a full one answers 503)
     * @param hub          the console WebSockets
     * @param wsTokenValid checks the token a console WebSocket presents
     * @param limits       the bounds
     */
    public HttpServer(InetSocketAddress bind, Router router, ExecutorService workers, WebSocketHub hub,
                      Predicate<String> wsTokenValid, Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.bind = Objects.requireNonNull(bind, "bind");
        this.router = Objects.requireNonNull(router, "router");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.hub = Objects.requireNonNull(hub, "hub");
        this.wsTokenValid = Objects.requireNonNull(wsTokenValid, "wsTokenValid");
    }

    /**
     * Binds and starts serving.
     *
     * @return the bound address
     * @throws InterruptedException if interrupted while binding
     */
    public InetSocketAddress start() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (connections.incrementAndGet() > limits.maxConnections()) {
                            connections.decrementAndGet();
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> connections.decrementAndGet());
                        ch.pipeline().addLast(IDLE, new IdleStateHandler(0, 0, limits.idleTimeout().toMillis(),
                                TimeUnit.MILLISECONDS));
                        ch.pipeline().addLast(new IdleCloser());
                        // refuses a too-large Content-Length with 413 before reading the body
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(limits.maxBody()),
                                new WebSocketGate(),
                                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/ws").checkStartsWith(true).build()),
                                new RequestHandler());
                    }
                })
                .bind(bind).sync().channel();
        return (InetSocketAddress) server.localAddress();
    }

    /** Checks the token of a WebSocket upgrade before the protocol handler accepts it. */
    private final class WebSocketGate extends SimpleChannelInboundHandler<FullHttpRequest> {
        WebSocketGate() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            QueryStringDecoder q = new QueryStringDecoder(req.uri());
            if (!q.path().startsWith("/ws")) {
                ctx.fireChannelRead(req);
                return;
            }
            SocketOpener opener = sockets.get(q.path());
            if (!q.path().equals("/ws") && opener == null) {
                // the protocol handler matches by prefix; nothing else under /ws may reach it unchecked
                req.release();
                send(ctx, HttpResponse.error(404, "no such resource: " + q.path()), false);
                return;
            }
            String token = q.parameters().containsKey("token") ? q.parameters().get("token").get(0) : null;
            if (token == null || !wsTokenValid.test(token)) {
                req.release();
                send(ctx, HttpResponse.error(401, "a valid token is required"), false);
                return;
            }
            if (opener != null) {
                ctx.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext c, Object evt) throws Exception {
                        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                            opener.open(c.channel(), q.parameters());
                        }
                        super.userEventTriggered(c, evt);
                    }
                });
            } else {
                hub.add(ctx.channel());
            }
            if (ctx.pipeline().get(IDLE) != null) {
                ctx.pipeline().remove(IDLE); // an authenticated console may be quiet for hours
            }
            ctx.fireChannelRead(req);
        }
    }

    private static final String IDLE = "idle";

    /** Closes a connection that has been idle for the configured time. */
    private static final class IdleCloser extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, evt);
        }
    }

    /**
     * Handles one request of a connection at a time on the worker pool; requests pipelined behind it wait here
     * (at most {@value #MAX_WAITING}), so responses leave in request order. Runs on the connection's event loop.
     */
    private final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
        private boolean busy;

        RequestHandler() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (busy) {
                if (waiting.size() >= MAX_WAITING) {
                    req.release();
                    ctx.close();
                    return;
                }
                waiting.add(req);
                return;
            }
            handle(ctx, req);
        }

        private void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean keepAlive;
            QueryStringDecoder q;
            String method;
            String path;
            Map<String, String> headers = new HashMap<>();
            byte[] body;
            try {
                keepAlive = HttpUtil.isKeepAlive(req);
                if (!req.decoderResult().isSuccess()) {
                    send(ctx, HttpResponse.error(400, "malformed HTTP request"), false);
                    return;
                }
                q = new QueryStringDecoder(req.uri());
                method = req.method().name();
                path = q.path();
                req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
                body = ByteBufUtil.getBytes(req.content());
            } finally {
                req.release();
            }
            String remote = String.valueOf(ctx.channel().remoteAddress());
            busy = true;
            try {
                workers.execute(() -> {
                    HttpResponse resp = dispatch(method, path, q, headers, body, remote);
                    ctx.channel().eventLoop().execute(() -> {
                        send(ctx, resp, keepAlive);
                        next(ctx, keepAlive);
                    });
                });
            } catch (RejectedExecutionException e) {
                busy = false;
                boolean closing = workers.isShutdown();
                HttpResponse r = closing ? HttpResponse.error(503, "the centre is shutting down")
                        : HttpResponse.error(503, "too many requests in progress; try again shortly");
                if (!closing) {
                    r = new HttpResponse(r.status(), r.contentType(), r.body(), Map.of("Retry-After", "1"));
                }
                send(ctx, r, false);
            }
        }

        private void next(ChannelHandlerContext ctx, boolean keepAlive) {
            busy = false;
            FullHttpRequest n = waiting.poll();
            if (n == null) {
                return;
            }
            if (!keepAlive || !ctx.channel().isActive()) {
                n.release();
                drop();
                return;
            }
            handle(ctx, n);
        }

        private void drop() {
            FullHttpRequest r;
            while ((r = waiting.poll()) != null) {
                r.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            drop();
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("HTTP connection error: {}", cause.toString());
            ctx.close();
        }
    }

    private HttpResponse dispatch(String method, String path, QueryStringDecoder q, Map<String, String> headers,
                                  byte[] body, String remote) {
        try {
            if (method.equals("GET") && !path.startsWith("/api/")) {
                HttpResponse file = staticFile(path);
                if (file != null) {
                    return file;
                }
            }
            Router.Match m = router.match(method, path);
            if (m == null) {
                return HttpResponse.error(404, "no such resource: " + path);
            }
            if (m.handler() == null) {
                return HttpResponse.error(405, method + " is not allowed on " + path);
            }
            return m.handler().handle(new HttpRequest(method, path, q.parameters(), m.params(), headers, body, remote));
        } catch (ApiException e) {
            return HttpResponse.error(e.status(), e.getMessage());
        } catch (Exception | Error e) {
            LOG.error("request {} {} failed", method, path, e);
            return HttpResponse.error(500, "internal error");
        }
    }

    private static HttpResponse staticFile(String path) throws IOException {
        String name = path.equals("/") ? "index.html" : path.substring(1);
        if (name.contains("..") || name.contains("//") || name.isEmpty()) {
            return null;
        }
        try (InputStream in = HttpServer.class.getResourceAsStream(STATIC_ROOT + name)) {
            if (in == null) {
                return null;
            }
            return HttpResponse.bytes(200, contentType(name), in.readAllBytes());
        }
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".json")) {
            return "application/json; charset=utf-8";
        }
        if (name.endsWith(".wav")) {
            return "audio/wav";
        }
        if (name.endsWith(".png")) {
            return "image/png";
        }
        if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "application/octet-stream";
    }

    private static void send(ChannelHandlerContext ctx, HttpResponse r, boolean keepAlive) {
        ByteBuf content = Unpooled.wrappedBuffer(r.body());
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(r.status()), content);
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        resp.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        resp.headers().set("X-Content-Type-Options", "nosniff");
        r.headers().forEach((k, v) -> resp.headers().set(k, v));
        if (keepAlive) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(resp);
        } else {
            ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Stops accepting and closes every connection. */
    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
