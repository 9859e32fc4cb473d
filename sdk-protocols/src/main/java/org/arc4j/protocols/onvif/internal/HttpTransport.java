package org.arc4j.protocols.onvif.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509TrustManager;
import org.arc4j.protocols.onvif.OnvifException;
import org.arc4j.protocols.onvif.OnvifException.Kind;

/**
 * A small HTTP/1.1 client on Netty for SOAP and snapshots: keep-alive connections pooled per
 * {@code scheme://host:port} (one request at a time on each, no pipelining), a bounded response body
 * (a larger one fails with {@link Kind#RESPONSE_TOO_LARGE} and the connection is closed), a per-request
 * timeout, HTTPS trusting the JDK trust store or one pinned certificate fingerprint.
 *
 * <p>Futures are completed on the {@code completions} executor, never on an event loop, so that callers'
 * continuations (XML parsing, intake calls) cannot stall I/O. Thread-safe.
 */
public final class HttpTransport implements AutoCloseable {
    /** One request. */
    public record Request(HttpMethod method, URI uri, Map<String, String> headers, byte[] body) {
    }

    /**
     * One complete response.
     *
     * @param status          the HTTP status
     * @param wwwAuthenticate the {@code WWW-Authenticate} values
     * @param contentType     the {@code Content-Type}, or null
     * @param body            the body
     * @param date            the {@code Date} header as sent (RFC 9110 §6.6.1, the device's clock), or null
     */
    public record Response(int status, List<String> wwwAuthenticate, String contentType, byte[] body, String date) {
    }

    /** Idle keep-alive connections kept per device at most. */
    public static final int MAX_IDLE_PER_DEVICE = 4;

    private final EventLoopGroup group;
    private final Executor completions;
    private final int maxResponseBytes;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Map<String, ConcurrentLinkedDeque<Channel>> idle = new ConcurrentHashMap<>();
    private final Map<String, SslContext> tls = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * A transport.
     *
     * @param group            the event loops (not closed by this transport)
     * @param completions      where futures complete
     * @param maxResponseBytes the largest body accepted
     * @param connectTimeout   TCP connect timeout
     * @param requestTimeout   time for a whole answer, from sending
     */
    public HttpTransport(EventLoopGroup group, Executor completions, int maxResponseBytes, Duration connectTimeout,
                         Duration requestTimeout) {
        this.group = group;
        this.completions = completions;
        this.maxResponseBytes = maxResponseBytes;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
    }

    /** @return the largest response body accepted, in bytes */
    public int maxResponseBytes() {
        return maxResponseBytes;
    }

    /**
     * Sends a request.
     *
     * @param request     the request
     * @param pinnedSha256 the pinned certificate's SHA-256 fingerprint (hex) for HTTPS, or null for the JDK
     *                     trust store
     * @param timeout      the time for the answer, or null for the default
     * @return the response, or an {@link OnvifException}
     */
    public CompletableFuture<Response> execute(Request request, String pinnedSha256, Duration timeout) {
        CompletableFuture<Response> out = new CompletableFuture<>();
        if (closed) {
            out.completeExceptionally(new OnvifException(Kind.CLOSED, "client closed"));
            return out;
        }
        send(request, pinnedSha256, timeout == null ? requestTimeout : timeout, out, true);
        return out;
    }

    private static String poolKey(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + ":" + port(uri);
    }

    private static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private void send(Request request, String pin, Duration timeout, CompletableFuture<Response> out,
                      boolean mayRetry) {
        String key = poolKey(request.uri());
        ConcurrentLinkedDeque<Channel> q = idle.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
        Channel ch;
        while ((ch = q.pollFirst()) != null) {
            if (ch.isActive()) {
                write(ch, key, request, pin, timeout, out, mayRetry);
                return;
            }
        }
        connect(request.uri(), pin).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                write(f.channel(), key, request, pin, timeout, out, false);
            } else {
                fail(out, new OnvifException(Kind.CONNECT, "cannot connect to " + key + ": " + f.cause(), 0,
                        f.cause()));
            }
        });
    }

    private ChannelFuture connect(URI uri, String pin) {
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        String host = uri.getHost();
        int port = port(uri);
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) throws SSLException {
                        if (https) {
                            SSLEngine engine = sslContext(pin).newEngine(ch.alloc(), host, port);
                            if (pin == null) {
                                SSLParameters p = engine.getSSLParameters();
                                p.setEndpointIdentificationAlgorithm("HTTPS");
                                engine.setSSLParameters(p);
                            }
                            ch.pipeline().addLast(new SslHandler(engine));
                        }
                        ch.pipeline().addLast(new HttpClientCodec(4096, 16384, 16384));
                    }
                });
        return b.connect(host, port);
    }

    private SslContext sslContext(String pin) throws SSLException {
        String k = pin == null ? "" : pin.toLowerCase(Locale.ROOT).replace(":", "");
        SslContext c = tls.get(k);
        if (c == null) {
            SslContextBuilder b = SslContextBuilder.forClient();
            if (!k.isEmpty()) {
                b.trustManager(new PinnedTrustManager(k));
            }
            c = b.build();
            tls.put(k, c);
        }
        return c;
    }

    private void write(Channel ch, String key, Request request, String pin, Duration timeout,
                       CompletableFuture<Response> out, boolean reused) {
        URI u = request.uri();
        String target = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        ByteBuf content = request.body() == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(request.body());
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(), target, content);
        req.headers().set(HttpHeaderNames.HOST, u.getPort() > 0 ? u.getHost() + ":" + u.getPort() : u.getHost());
        req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        req.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        request.headers().forEach((n, v) -> req.headers().set(n, v));
        Collector c = new Collector(ch, key, out, reused, () -> send(request, pin, timeout, out, false));
        if (!ch.eventLoop().inEventLoop()) {
            // the collector's state belongs to the channel's loop
            ch.eventLoop().execute(() -> start(ch, c, req, key, timeout));
        } else {
            start(ch, c, req, key, timeout);
        }
    }

    private void start(Channel ch, Collector c, FullHttpRequest req, String key, Duration timeout) {
        ch.pipeline().addLast("collector", c);
        c.timer = ch.eventLoop().schedule(() -> c.fail(new OnvifException(Kind.TIMEOUT,
                "no answer from " + key + " within " + timeout.toMillis() + " ms")), timeout.toMillis(),
                TimeUnit.MILLISECONDS);
        ch.writeAndFlush(req).addListener(f -> {
            if (!f.isSuccess()) {
                c.broken(f.cause());
            }
        });
    }

    private void fail(CompletableFuture<Response> out, OnvifException e) {
        completions.execute(() -> out.completeExceptionally(e));
    }

    /** Collects one response on its channel; removed when done. Runs on the channel's event loop only. */
    private final class Collector extends SimpleChannelInboundHandler<HttpObject> {
        private final Channel ch;
        private final String key;
        private final CompletableFuture<Response> out;
        private final boolean reused;
        private final Runnable retry;
        private io.netty.util.concurrent.ScheduledFuture<?> timer;
        private ByteArrayOutputStream body = new ByteArrayOutputStream(1024);
        private int status = -1;
        private List<String> challenges = List.of();
        private String contentType;
        private String date;
        private boolean keepAlive;
        private boolean done;

        Collector(Channel ch, String key, CompletableFuture<Response> out, boolean reused, Runnable retry) {
            this.ch = ch;
            this.key = key;
            this.out = out;
            this.reused = reused;
            this.retry = retry;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (done) {
                return;
            }
            if (msg.decoderResult().isFailure()) {
                fail(new OnvifException(Kind.MALFORMED, "unreadable HTTP answer from " + key + ": "
                        + msg.decoderResult().cause(), status < 0 ? 0 : status, null));
                return;
            }
            if (msg instanceof HttpResponse r) {
                status = r.status().code();
                challenges = new ArrayList<>(r.headers().getAll(HttpHeaderNames.WWW_AUTHENTICATE));
                contentType = r.headers().get(HttpHeaderNames.CONTENT_TYPE);
                date = r.headers().get(HttpHeaderNames.DATE);
                keepAlive = HttpUtil.isKeepAlive(r);
                long declared = HttpUtil.getContentLength(r, -1L);
                if (declared > maxResponseBytes) {
                    tooLarge(declared);
                    return;
                }
            }
            if (msg instanceof HttpContent c) {
                ByteBuf b = c.content();
                if (body.size() + b.readableBytes() > maxResponseBytes) {
                    tooLarge(body.size() + (long) b.readableBytes());
                    return;
                }
                byte[] chunk = new byte[b.readableBytes()];
                b.readBytes(chunk);
                body.write(chunk, 0, chunk.length);
                if (msg instanceof LastHttpContent) {
                    finish();
                }
            }
        }

        private void tooLarge(long size) {
            fail(new OnvifException(Kind.RESPONSE_TOO_LARGE, "answer from " + key + " is larger than "
                    + maxResponseBytes + " bytes (" + size + "+)", status, null));
        }

        private void finish() {
            done = true;
            timer.cancel(false);
            ch.pipeline().remove(this);
            Response r = new Response(status, List.copyOf(challenges), contentType, body.toByteArray(), date);
            body = null;
            ConcurrentLinkedDeque<Channel> q = idle.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
            // a burst of parallel requests must not leave a crowd of idle connections on a small camera
            if (keepAlive && ch.isActive() && !closed && q.size() < MAX_IDLE_PER_DEVICE) {
                q.addFirst(ch);
            } else {
                ch.close();
            }
            completions.execute(() -> out.complete(r));
        }

        void fail(OnvifException e) {
            if (done) {
                return;
            }
            done = true;
            if (timer != null) {
                timer.cancel(false);
            }
            ch.close();
            HttpTransport.this.fail(out, e);
        }

        void broken(Throwable cause) {
            if (done) {
                return;
            }
            if (reused && status < 0) {
                // a pooled keep-alive connection the device had closed: the request never got an answer
                done = true;
                timer.cancel(false);
                ch.close();
                retry.run();
                return;
            }
            Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            if (root instanceof SSLHandshakeException || root instanceof CertificateException) {
                fail(new OnvifException(Kind.UNTRUSTED_CERTIFICATE, "TLS certificate of " + key
                        + " is not trusted: " + root.getMessage(), 0, null));
            } else {
                fail(new OnvifException(Kind.CONNECT, "connection to " + key + " broke"
                        + (cause == null ? "" : ": " + cause), status < 0 ? 0 : status, cause));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!done && status >= 0 && !keepAlive && body != null) {
                finish(); // an answer delimited by the end of the connection
                return;
            }
            broken(null);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            broken(cause);
        }
    }

    /** Trusts exactly one certificate, by the SHA-256 of its DER encoding. */
    private static final class PinnedTrustManager implements X509TrustManager {
        private final String pin;

        PinnedTrustManager(String pin) {
            this.pin = pin;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not checked here");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("no certificate");
            }
            try {
                String got = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(chain[0].getEncoded()));
                if (!got.equals(pin)) {
                    throw new CertificateException("certificate fingerprint " + got + " is not the pinned one");
                }
            } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
                throw new CertificateException(e);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** Closes the pooled connections; later requests fail with {@link Kind#CLOSED}. */
    @Override
    public void close() {
        closed = true;
        for (ConcurrentLinkedDeque<Channel> q : idle.values()) {
            Channel ch;
            while ((ch = q.pollFirst()) != null) {
                ch.close();
            }
        }
    }

    /** @return the number of idle pooled connections (tests of connection reuse) */
    public int idleConnections() {
        return idle.values().stream().mapToInt(ConcurrentLinkedDeque::size).sum();
    }
}
