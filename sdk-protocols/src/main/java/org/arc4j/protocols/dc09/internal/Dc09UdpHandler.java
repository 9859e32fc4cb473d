package org.arc4j.protocols.dc09.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.arc4j.core.event.Ingress;

/**
 * Hands each DC-09 datagram (one frame per datagram, DC-09 over UDP) to the {@link Dc09Processor} and sends its reply
 * to the sender when it completes. Stateless apart from its collaborators: sharable.
 */
@ChannelHandler.Sharable
public final class Dc09UdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final Dc09Processor processor;
    private final Ingress ingress;

    /**
     * @param processor the processor
     * @param ingress   the ingress of the socket
     */
    public Dc09UdpHandler(Dc09Processor processor, Ingress ingress) {
        this.processor = processor;
        this.ingress = ingress;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf content = packet.content();
        int n = content.readableBytes();
        if (n > processor.maxFrameLength()) {
            // the processor reports it as oversized without our copying more than the bound
            n = processor.maxFrameLength() + 1;
        }
        byte[] frame = new byte[n];
        content.getBytes(content.readerIndex(), frame);
        InetSocketAddress sender = packet.sender();
        Channel ch = ctx.channel();
        processor.process(frame, 0, frame.length, ingress).whenComplete((reply, err) -> {
            if (reply != null) {
                ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(reply), sender));
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a UDP socket error (ICMP unreachable from an earlier reply) concerns one peer, not the socket
    }
}
