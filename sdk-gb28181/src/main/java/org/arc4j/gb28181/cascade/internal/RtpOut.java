package org.arc4j.gb28181.cascade.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.arc4j.media.rtp.RtpUdpEndpoint;

/**
 * Where a relay's RTP packets go toward the upper platform: datagrams to the upper's port, or an RTP-over-TCP
 * connection with each packet behind its 16-bit length (RFC 4571 §2, GB/T 28181-2016 Annex C), either opened by the
 * centre to the upper's port (the upper offered {@code a=setup:passive}) or accepted on a port the centre listens on
 * (the upper offered {@code a=setup:active} and connects).
 *
 * <p>{@link #send} never blocks the source's network thread: over TCP packets go through a bounded queue to one
 * writer thread, and what does not fit is dropped and counted (a receiver that stalls loses pictures, it does not
 * stall the device's session). Thread-safe.
 */
abstract class RtpOut implements AutoCloseable {
    /** Packets queued for a TCP writer before new ones are dropped (a few seconds of a camera's stream). */
    static final int QUEUE = 2048;

    final AtomicLong dropped = new AtomicLong();

    /** @return whether packets reach the upper now (TCP: connected) */
    abstract boolean ready();

    /** @return the local port to put in the answer's {@code m=} line */
    abstract int localPort();

    /**
     * Sends one RTP packet, or drops it when the path is not (yet) open or full.
     *
     * @param packet the encoded packet
     */
    abstract void send(byte[] packet);

    @Override
    public abstract void close();

    /**
     * RTP over UDP.
     *
     * @param bind   the local address
     * @param remote the upper's media address
     * @return the output
     * @throws IOException if the socket cannot be bound
     */
    static RtpOut udp(InetSocketAddress bind, InetSocketAddress remote) throws IOException {
        RtpUdpEndpoint endpoint = RtpUdpEndpoint.bind(bind, remote);
        return new RtpOut() {
            @Override
            boolean ready() {
                return true;
            }

            @Override
            int localPort() {
                return endpoint.localAddress().getPort();
            }

            @Override
            void send(byte[] packet) {
                try {
                    endpoint.send(packet);
                } catch (IOException e) {
                    dropped.incrementAndGet();
                }
            }

            @Override
            public void close() {
                endpoint.close();
            }
        };
    }

    /**
     * RTP over TCP, the centre connecting to the upper ({@code a=setup:active} in the answer).
     *
     * @param remote   the upper's listening address
     * @param name     the writer thread's name
     * @param onClosed called once when the connection fails or closes other than by {@link #close}
     * @return the output; it connects on its writer thread
     */
    static RtpOut tcpActive(InetSocketAddress remote, String name, Consumer<String> onClosed) {
        return new Tcp(null, remote, name, onClosed);
    }

    /**
     * RTP over TCP, the upper connecting to a port the centre listens on ({@code a=setup:passive} in the answer).
     *
     * @param bind     the local address (port 0 for any)
     * @param name     the writer thread's name
     * @param onClosed called once when the connection fails or closes other than by {@link #close}
     * @return the output, listening
     * @throws IOException if the port cannot be bound
     */
    static RtpOut tcpPassive(InetSocketAddress bind, String name, Consumer<String> onClosed) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(bind, 1);
        return new Tcp(server, null, name, onClosed);
    }

    /** One TCP connection and its writer thread. */
    private static final class Tcp extends RtpOut implements Runnable {
        /** How long the upper has to connect to a listening port, or to accept the centre's connection. */
        private static final int CONNECT_MS = 10_000;

        private final ServerSocket server;
        private final InetSocketAddress remote;
        private final Consumer<String> onClosed;
        private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE);
        private final Thread writer;
        private volatile Socket socket;
        private volatile boolean closed;

        Tcp(ServerSocket server, InetSocketAddress remote, String name, Consumer<String> onClosed) {
            this.server = server;
            this.remote = remote;
            this.onClosed = onClosed;
            this.writer = new Thread(this, name);
            writer.setDaemon(true);
            writer.start();
        }

        @Override
        boolean ready() {
            return socket != null && !closed;
        }

        @Override
        int localPort() {
            // an active connection's own port is unknown when the answer is written; RFC 4145 uses 9 then
            return server != null ? server.getLocalPort() : 9;
        }

        @Override
        void send(byte[] packet) {
            if (!ready() || packet.length > 0xFFFF || !queue.offer(packet)) {
                dropped.incrementAndGet();
            }
        }

        @Override
        public void run() {
            String why = "closed";
            try {
                Socket s;
                if (server != null) {
                    server.setSoTimeout(CONNECT_MS);
                    s = server.accept();
                    server.close();
                } else {
                    s = new Socket();
                    s.connect(remote, CONNECT_MS);
                }
                s.setTcpNoDelay(true);
                socket = s;
                if (closed) {
                    s.close();
                    return;
                }
                OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
                byte[] len = new byte[2];
                while (!closed) {
                    byte[] p = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (p == null) {
                        continue;
                    }
                    len[0] = (byte) (p.length >> 8);
                    len[1] = (byte) p.length;
                    out.write(len);
                    out.write(p);
                    if (queue.isEmpty()) {
                        out.flush();
                    }
                }
            } catch (IOException e) {
                why = "media connection: " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                boolean byUs = closed;
                closed = true;
                closeQuietly();
                if (!byUs) {
                    onClosed.accept(why);
                }
            }
        }

        private void closeQuietly() {
            try {
                if (server != null) {
                    server.close();
                }
                Socket s = socket;
                if (s != null) {
                    s.close();
                }
            } catch (IOException e) {
                // closing anyway
            }
        }

        @Override
        public void close() {
            closed = true;
            closeQuietly();
            writer.interrupt();
        }
    }
}
