import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The client side of the 10,000-connection test, run in its own JVM as a single-file program
 * ({@code java TenThousandClient.java host port n}): opens n TCP connections with NIO, keeps all of them open,
 * sends one DC-09 SIA-DCS frame on each (CRC-16/ARC computed here, independently of arc4j), and counts the
 * connections that received an ACK echoing their sequence and account. Prints {@code ACKED <count> OF <n>}.
 */
public class TenThousandClient {
    static int crc(byte[] b) {
        int c = 0;
        for (byte x : b) {
            c ^= x & 0xFF;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0xA001 : c >>> 1;
            }
        }
        return c;
    }

    static final class Conn {
        final String account;
        final ByteBuffer out;
        final StringBuilder in = new StringBuilder();
        boolean acked;

        Conn(int i) {
            account = String.format("%05X", 0x10000 + i);
            String content = "\"SIA-DCS\"0001L0#" + account + "[#" + account + "|NBA001]";
            byte[] c = content.getBytes(StandardCharsets.US_ASCII);
            String frame = String.format("\n%04X0%03X", crc(c), c.length) + content + "\r";
            out = ByteBuffer.wrap(frame.getBytes(StandardCharsets.US_ASCII));
        }
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress to = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int n = Integer.parseInt(args[2]);
        long deadline = System.nanoTime() + 150_000_000_000L;
        Selector sel = Selector.open();
        List<SocketChannel> all = new ArrayList<>(n);
        int opened = 0;
        int connecting = 0;
        int connected = 0;
        int acked = 0;
        int failed = 0;
        ByteBuffer buf = ByteBuffer.allocate(512);
        while (acked + failed < n && System.nanoTime() < deadline) {
            // at most 500 connects in flight, so the server's accept backlog is never the bottleneck
            while (opened < n && connecting < 500) {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Conn c = new Conn(opened++);
                all.add(ch);
                if (ch.connect(to)) {
                    ch.register(sel, SelectionKey.OP_WRITE, c);
                    connected++;
                } else {
                    ch.register(sel, SelectionKey.OP_CONNECT, c);
                    connecting++;
                }
            }
            sel.select(100);
            for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey k = it.next();
                it.remove();
                SocketChannel ch = (SocketChannel) k.channel();
                Conn c = (Conn) k.attachment();
                try {
                    if (k.isConnectable()) {
                        connecting--;
                        if (ch.finishConnect()) {
                            connected++;
                            k.interestOps(SelectionKey.OP_WRITE);
                        }
                    } else if (k.isWritable()) {
                        ch.write(c.out);
                        if (!c.out.hasRemaining()) {
                            k.interestOps(SelectionKey.OP_READ);
                        }
                    } else if (k.isReadable()) {
                        buf.clear();
                        int r = ch.read(buf);
                        if (r < 0) {
                            failed++;
                            k.cancel();
                            continue;
                        }
                        c.in.append(new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII));
                        if (!c.acked && c.in.indexOf("\r") >= 0) {
                            c.acked = c.in.indexOf("\"ACK\"0001L0#" + c.account + "[]") >= 0;
                            if (c.acked) {
                                acked++;
                            } else {
                                failed++;
                            }
                            k.interestOps(0); // keep the connection open until everyone is done
                        }
                    }
                } catch (java.io.IOException e) {
                    failed++;
                    k.cancel();
                }
            }
        }
        System.out.println("CONNECTED " + connected + " OF " + n);
        System.out.println("ACKED " + acked + " OF " + n);
        for (SocketChannel ch : all) {
            ch.close();
        }
    }
}
