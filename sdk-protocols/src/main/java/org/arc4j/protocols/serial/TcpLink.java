package org.arc4j.protocols.serial;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link ByteLink} over one TCP connection, for receivers and automation software that speak their serial
 * protocol over a network port (or a serial-to-Ethernet converter). Thread-safe.
 */
public final class TcpLink implements ByteLink {
    private final Socket socket;
    private final String endpoint;
    private final Object writeLock = new Object();
    private Thread reader;

    /**
     * A link over a connected socket (for example one accepted by a server socket).
     *
     * @param socket the connected socket; the link owns it
     */
    public TcpLink(Socket socket) {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.endpoint = socket.getRemoteSocketAddress() == null ? "tcp" : socket.getRemoteSocketAddress().toString();
    }

    /**
     * Connects to a host.
     *
     * @param host          the host
     * @param port          the port
     * @param timeoutMillis the connect timeout
     * @return the link
     * @throws IOException if the connection fails
     */
    public static TcpLink connect(String host, int port, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            s.setTcpNoDelay(true);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return new TcpLink(s);
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public synchronized void start(Consumer<byte[]> receiver) throws IOException {
        if (reader != null) {
            throw new IllegalStateException("already started");
        }
        InputStream in = socket.getInputStream();
        reader = new Thread(() -> {
            byte[] buf = new byte[1024];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    receiver.accept(Arrays.copyOf(buf, n));
                }
            } catch (IOException e) {
                // the connection closed: the reader ends, writes will fail and the peer's timers take over
            }
        }, "arc4j-tcp-link " + endpoint);
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        synchronized (writeLock) {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        }
    }

    @Override
    public synchronized boolean isOpen() {
        return !socket.isClosed() && (reader == null || reader.isAlive());
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing left to do
        }
    }
}
