package org.arc4j.protocols.onvif;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
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
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.arc4j.core.intake.AlarmIntake;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.time.Scheduler;
import org.arc4j.protocols.onvif.internal.Readers;
import org.arc4j.protocols.onvif.internal.XmlElement;

/**
 * The consumer side of ONVIF Basic Notification (ONVIF Core §9.2, WS-BaseNotification {@code Notify}): an HTTP
 * endpoint on Netty to which devices push their events. Each registered device gets its own path; its
 * notifications are mapped into alarms as the pull loop does ({@link OnvifTopicMapping}, Initialized bursts never
 * alarm) and handed to the intake, and <b>the HTTP answer is 200 only after every alarm of the message was
 * accepted, 503 when the intake refused</b>, so that the device keeps the message and sends it again. Bodies over
 * 1 MiB are answered 413.
 *
 * <p>Subscribing and renewing are the device side's: {@link OnvifNotificationSubscription} subscribes the
 * address {@link #register} returns and keeps the subscription alive. Thread-safe; the intake is called off the
 * event loop.
 */
public final class OnvifNotificationListener implements AutoCloseable {
    private static final byte[] EMPTY_ENVELOPE = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><s:Envelope xmlns:s=\""
            + "http://www.w3.org/2003/05/soap-envelope\"><s:Body/></s:Envelope>").getBytes(StandardCharsets.UTF_8);

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private final Executor executor;
    private final Scheduler scheduler;
    private final String advertisedHost;
    private final Map<String, Sink> sinks = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    private record Sink(AlarmMaker alarms, AlarmIntake intake) {
    }

    private OnvifNotificationListener(InetSocketAddress bind, String advertisedHost, Scheduler scheduler,
                                      Executor executor) throws InterruptedException {
        this.scheduler = scheduler;
        this.executor = executor;
        this.advertisedHost = advertisedHost;
        this.channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(
                                OnvifClient.DEFAULT_MAX_RESPONSE_BYTES), new Handler());
                    }
                }).bind(bind).sync().channel();
    }

    /**
     * Starts listening.
     *
     * @param bind           where to listen
     * @param advertisedHost the host devices are told to send to (the centre's address as the cameras reach it)
     * @param scheduler      the clock for receive times
     * @param executor       where intake calls run
     * @return the running listener
     * @throws InterruptedException if interrupted while binding
     */
    public static OnvifNotificationListener start(InetSocketAddress bind, String advertisedHost, Scheduler scheduler,
                                                  Executor executor) throws InterruptedException {
        return new OnvifNotificationListener(bind, advertisedHost, scheduler, executor);
    }

    /** @return the port listened on */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /**
     * Registers a device: its notifications to the returned address become alarms in the intake.
     *
     * @param device  the device
     * @param intake  where its alarms go
     * @param mapping the topic mapping
     * @param account the account its alarms are filed under
     * @return the consumer address to give {@link OnvifDevice#subscribe}
     */
    public URI register(OnvifDevice device, AlarmIntake intake, OnvifTopicMapping mapping, String account) {
        String path = "/onvif/notify/" + ids.incrementAndGet();
        AlarmMaker maker = new AlarmMaker(device, mapping, account, OnvifEvents.ingressOf(device));
        // which video source a configuration token names, so that one motion reported by two topics is one alarm
        device.getProfiles().thenAccept(ps -> maker.sources(VideoSources.of(ps)));
        sinks.put(path, new Sink(maker, intake));
        return URI.create("http://" + advertisedHost + ":" + port() + path);
    }

    /**
     * Stops accepting notifications for a consumer address.
     *
     * @param consumer the address {@link #register} returned
     */
    public void unregister(URI consumer) {
        sinks.remove(consumer.getPath());
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            String path = URI.create(req.uri()).getPath();
            Sink sink = sinks.get(path);
            if (sink == null || req.method() != HttpMethod.POST) {
                answer(ctx, HttpResponseStatus.NOT_FOUND, keepAlive);
                return;
            }
            byte[] body = ByteBufUtil.getBytes(req.content());
            executor.execute(() -> handle(sink, body).whenComplete((status, e) ->
                    answer(ctx, e != null ? HttpResponseStatus.SERVICE_UNAVAILABLE : status, keepAlive)));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private CompletableFuture<HttpResponseStatus> handle(Sink sink, byte[] body) {
        XmlElement p;
        try {
            p = Readers.payload(body, 200);
        } catch (OnvifException e) {
            return CompletableFuture.completedFuture(HttpResponseStatus.BAD_REQUEST);
        }
        if (!p.name().equals("Notify")) {
            return CompletableFuture.completedFuture(HttpResponseStatus.BAD_REQUEST);
        }
        List<CompletableFuture<Receipt>> receipts = new ArrayList<>();
        List<NotificationMessage> messages = new ArrayList<>();
        java.util.Set<String> raised = new java.util.HashSet<>();
        for (XmlElement n : p.all("NotificationMessage")) {
            NotificationMessage m = Readers.notification(n);
            messages.add(m);
            // states change only once the whole message was accepted: a resent message raises its alarms again
            sink.alarms().alarm(m, scheduler.now(), false, raised).ifPresent(a -> receipts.add(
                    sink.intake().accept(a.events(), a.key()).toCompletableFuture()));
        }
        return CompletableFuture.allOf(receipts.toArray(CompletableFuture[]::new)).handle((v, e) -> {
            if (e != null) {
                return HttpResponseStatus.SERVICE_UNAVAILABLE;
            }
            for (CompletableFuture<Receipt> r : receipts) {
                if (!r.join().isAccepted()) {
                    return HttpResponseStatus.SERVICE_UNAVAILABLE;
                }
            }
            messages.forEach(sink.alarms()::commit);
            return HttpResponseStatus.OK;
        });
    }

    private static void answer(ChannelHandlerContext ctx, HttpResponseStatus status, boolean keepAlive) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                status == HttpResponseStatus.OK ? Unpooled.wrappedBuffer(EMPTY_ENVELOPE) : Unpooled.EMPTY_BUFFER);
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        if (status == HttpResponseStatus.OK) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/soap+xml; charset=utf-8");
        }
        if (keepAlive) {
            HttpUtil.setKeepAlive(r, true);
            ctx.writeAndFlush(r);
        } else {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void close() {
        channel.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
