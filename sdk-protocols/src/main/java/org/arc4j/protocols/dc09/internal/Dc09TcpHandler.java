package org.arc4j.protocols.dc09.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;

/**
 * Hands each framed DC-09 message of a TCP connection to the {@link Dc09Processor} and answers them in the order
 * they were received; closes the connection after it has been idle for the configured time, on the core
 * {@link Scheduler} so that tests run it on virtual time. One instance per channel.
 *
 * <p>Order: a transmitter that sends frames back to back on one connection may match answers to messages by
 * position rather than by sequence number (DC-09 §5.5 answers carry the message's sequence, but nothing obliges
 * the transmitter to look), so a reply is written only when it and
 * every reply to an earlier frame of the connection are known (a frame answered with silence takes its turn and
 * writes nothing). Receipts complete in any order on the intake's threads; the queue lives on the channel's event
 * loop, which is never blocked.
 *
 * <p>Bound: at most {@value #MAX_OUTSTANDING} frames per connection may wait for their answer. When that many
 * are pending the channel stops reading (auto-read off), and TCP flow control holds the panel back, until the
 * queue has drained to half. Frames already read in the same chunk are still framed and queued, so the queue may
 * pass the bound by what one read held; nothing is dropped.
 */
public final class Dc09TcpHandler extends SimpleChannelInboundHandler<byte[]> {
    /** Frames of one connection that may wait for their answer before the connection stops reading. */
    public static final int MAX_OUTSTANDING = 64;
    private final Dc09Processor processor;
    private final Ingress ingress;
    private final Scheduler scheduler;
    private final Duration idle;
    private final Metrics metrics;
    private volatile Instant lastRead;
    private Cancellable idleTimer;
    /** Answers not yet written, oldest first; touched on the channel's event loop only. */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    /** The answer to one frame, once known; {@code reply} null = silence. */
    private static final class Pending {
        boolean done;
        byte[] reply;
    }

    /**
     * @param processor the processor
     * @param ingress   the ingress of the listening socket
     * @param scheduler the scheduler for the idle timeout
     * @param idle      the idle timeout, or null for none
     * @param metrics   where connections are counted
     */
    public Dc09TcpHandler(Dc09Processor processor, Ingress ingress, Scheduler scheduler, Duration idle,
                          Metrics metrics) {
        this.processor = processor;
        this.ingress = ingress;
        this.scheduler = scheduler;
        this.idle = idle;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        metrics.counter("dc09.connections", "event", "opened").increment();
        lastRead = scheduler.now();
        if (idle != null) {
            armIdle(ctx.channel(), idle);
        }
        ctx.fireChannelActive();
    }

    private void armIdle(Channel ch, Duration after) {
        idleTimer = scheduler.schedule(after, () -> {
            if (!ch.isActive()) {
                return;
            }
            Duration quiet = Duration.between(lastRead, scheduler.now());
            if (quiet.compareTo(idle) >= 0) {
                metrics.counter("dc09.connections", "event", "idle-closed").increment();
                ch.close();
            } else {
                armIdle(ch, idle.minus(quiet));
            }
        }, ch.eventLoop());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        metrics.counter("dc09.connections", "event", "closed").increment();
        if (idleTimer != null) {
            idleTimer.cancel();
        }
        pending.clear();
        ctx.fireChannelInactive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, byte[] frame) {
        lastRead = scheduler.now();
        Channel ch = ctx.channel();
        EventLoop loop = ch.eventLoop();
        Pending p = new Pending();
        pending.addLast(p);
        if (pending.size() >= MAX_OUTSTANDING && ch.config().isAutoRead()) {
            metrics.counter("dc09.connections", "event", "read-paused").increment();
            ch.config().setAutoRead(false);
        }
        processor.process(frame, 0, frame.length, ingress).whenComplete((reply, err) -> {
            if (loop.inEventLoop()) {
                ready(ch, p, err == null ? reply : null);
            } else {
                loop.execute(() -> ready(ch, p, err == null ? reply : null));
            }
        });
    }

    /** Records one answer and writes every answer at the head of the queue that is now known, in order. */
    private void ready(Channel ch, Pending p, byte[] reply) {
        p.reply = reply;
        p.done = true;
        boolean wrote = false;
        for (Pending head = pending.peekFirst(); head != null && head.done; head = pending.peekFirst()) {
            pending.pollFirst();
            if (head.reply != null && ch.isActive()) {
                ch.write(Unpooled.wrappedBuffer(head.reply));
                wrote = true;
            }
        }
        if (wrote) {
            ch.flush();
        }
        if (!ch.config().isAutoRead() && pending.size() <= MAX_OUTSTANDING / 2 && ch.isActive()) {
            ch.config().setAutoRead(true);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        metrics.counter("dc09.connections", "event", "error").increment();
        ctx.close();
    }
}
