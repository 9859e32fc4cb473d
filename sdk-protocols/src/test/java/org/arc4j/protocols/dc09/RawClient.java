package org.arc4j.protocols.dc09;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

/** A plain-socket DC-09 peer for tests: writes raw bytes and reads reply frames, with bounded waits. */
abstract class RawClient implements AutoCloseable {
    @Override
    public abstract void close();

    abstract void send(byte[] b);

    /** The next reply frame, or null if none arrives within the wait. */
    abstract byte[] receive(Duration wait);

    byte[] receive() {
        return receive(Duration.ofSeconds(10));
    }

    static RawClient of(String transport, InetSocketAddress tcp, InetSocketAddress udp) {
        return transport.equals("tcp") ? new Tcp(tcp) : new Udp(udp);
    }

    static final class Tcp extends RawClient {
        final Socket socket;
        private final InputStream in;

        Tcp(InetSocketAddress a) {
            try {
                socket = new Socket();
                socket.connect(a, 10_000);
                socket.setTcpNoDelay(true);
                in = socket.getInputStream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        void send(byte[] b) {
            try {
                socket.getOutputStream().write(b);
                socket.getOutputStream().flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        byte[] receive(Duration wait) {
            try {
                socket.setSoTimeout((int) wait.toMillis());
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int c;
                while ((c = in.read()) != 0x0A) {
                    if (c < 0) {
                        return null;
                    }
                }
                out.write(c);
                byte[] head = in.readNBytes(9);
                out.write(head);
                // the header is read by position (raw CRC bytes may be CR); the content then runs to its CR
                while ((c = in.read()) != 0x0D) {
                    if (c < 0) {
                        return null;
                    }
                    out.write(c);
                }
                out.write(c);
                return out.toByteArray();
            } catch (SocketTimeoutException e) {
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** True once the peer closed the connection (read returns end of stream) within the wait. */
        boolean closedByPeer(Duration wait) {
            try {
                socket.setSoTimeout((int) wait.toMillis());
                return in.read() < 0;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static final class Udp extends RawClient {
        private final DatagramSocket socket;
        private final InetSocketAddress to;

        Udp(InetSocketAddress to) {
            try {
                this.socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                this.to = to;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        void send(byte[] b) {
            try {
                socket.send(new DatagramPacket(b, b.length, to));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        byte[] receive(Duration wait) {
            try {
                socket.setSoTimeout((int) wait.toMillis());
                DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                socket.receive(p);
                return Arrays.copyOf(p.getData(), p.getLength());
            } catch (SocketTimeoutException e) {
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
