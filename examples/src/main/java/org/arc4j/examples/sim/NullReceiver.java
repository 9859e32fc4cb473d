package org.arc4j.examples.sim;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.arc4j.protocols.dc09.Crc16Arc;

/**
 * A DC-09 receiver that does nothing but answer, for {@code arc4j-panel-sim --self-test}: every frame (DC-09
 * §5.5, {@code LF crc 0LLL content CR}, framed by its length field) is answered at once with {@code "ACK"} and
 * the frame's own header fields (sequence, receiver, line, account) and empty data. No decoding, no check of the
 * CRC, no store: what a panel simulator measures against it is the simulator's own overhead (and the loopback's).
 * Runs on its own event loop thread, apart from the simulator's. Plain frames only.
 */
final class NullReceiver implements AutoCloseable {
    private static final byte[] ACK = "\"ACK\"".getBytes(StandardCharsets.US_ASCII);
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final AtomicLong answered = new AtomicLong();

    NullReceiver() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<NioSocketChannel>() {
                    @Override
                    protected void initChannel(NioSocketChannel ch) {
                        ch.pipeline().addLast(new Answer());
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** @return where it listens */
    InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** @return frames answered so far */
    long answered() {
        return answered.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Frames by the length field and answers each frame; one per connection. */
    private final class Answer extends SimpleChannelInboundHandler<ByteBuf> {
        private ByteBuf acc;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            acc = ctx.alloc().buffer(1024);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            acc.release();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf in) {
            acc.writeBytes(in);
            boolean wrote = false;
            while (true) {
                int lf = acc.indexOf(acc.readerIndex(), acc.writerIndex(), (byte) '\n');
                if (lf < 0) {
                    acc.clear();
                    break;
                }
                if (acc.writerIndex() - lf < 9) {
                    acc.readerIndex(lf);
                    break;
                }
                int len = hex(acc, lf + 6, 3);
                if (len < 0) {
                    acc.readerIndex(lf + 1);
                    continue;
                }
                if (acc.writerIndex() - lf < 10 + len) {
                    acc.readerIndex(lf);
                    break;
                }
                wrote |= answer(ctx, acc, lf + 9, len);
                acc.readerIndex(lf + 10 + len);
            }
            acc.discardReadBytes();
            if (wrote) {
                ctx.flush();
            }
        }

        private boolean answer(ChannelHandlerContext ctx, ByteBuf b, int content, int len) {
            int quote = b.indexOf(content + 1, content + len, (byte) '"');
            int bracket = quote < 0 ? -1 : b.indexOf(quote, content + len, (byte) '[');
            if (bracket < 0) {
                return false;
            }
            int header = bracket - quote - 1;
            byte[] reply = new byte[ACK.length + header + 2];
            System.arraycopy(ACK, 0, reply, 0, ACK.length);
            b.getBytes(quote + 1, reply, ACK.length, header);
            reply[reply.length - 2] = '[';
            reply[reply.length - 1] = ']';
            int crc = Crc16Arc.INSTANCE.compute(reply, 0, reply.length);
            ByteBuf out = ctx.alloc().buffer(reply.length + 10);
            out.writeByte('\n');
            for (int shift = 12; shift >= 0; shift -= 4) {
                out.writeByte(Character.toUpperCase(Character.forDigit((crc >> shift) & 0xF, 16)));
            }
            out.writeByte('0');
            for (int shift = 8; shift >= 0; shift -= 4) {
                out.writeByte(Character.toUpperCase(Character.forDigit((reply.length >> shift) & 0xF, 16)));
            }
            out.writeBytes(reply);
            out.writeByte('\r');
            ctx.write(out);
            answered.incrementAndGet();
            return true;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static int hex(ByteBuf b, int at, int digits) {
        int v = 0;
        for (int i = 0; i < digits; i++) {
            int d = Character.digit(b.getByte(at + i), 16);
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }
}
