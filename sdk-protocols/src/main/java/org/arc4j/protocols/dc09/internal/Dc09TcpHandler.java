package org.arc4j.protocols.dc09.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.time.Duration;
import java.time.Instant;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;

/**
 * Hands each framed DC-09 message of a TCP connection to the {@link Dc09Processor} and writes its reply when
 * it completes (after the intake's receipt); closes the connection after it has been idle for the configured
 * time, on the core {@link Scheduler} so that tests run it on virtual time. One instance per channel.
 */
public final class Dc09TcpHandler extends SimpleChannelInboundHandler<byte[]> {
    private final Dc09Processor processor;
    private final Ingress ingress;
    private final Scheduler scheduler;
    private final Duration idle;
    private final Metrics metrics;
    private volatile Instant lastRead;
    private Cancellable idleTimer;

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
        ctx.fireChannelInactive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, byte[] frame) {
        lastRead = scheduler.now();
        Channel ch = ctx.channel();
        processor.process(frame, 0, frame.length, ingress).whenComplete((reply, err) -> {
            if (reply != null && ch.isActive()) {
                ch.writeAndFlush(Unpooled.wrappedBuffer(reply));
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        metrics.counter("dc09.connections", "event", "error").increment();
        ctx.close();
    }
}
