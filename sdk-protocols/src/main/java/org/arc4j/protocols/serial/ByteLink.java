package org.arc4j.protocols.serial;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * A byte pipe to a hardware receiver or to automation software: a serial port ({@link SerialPortLink}) or a TCP
 * connection ({@link TcpLink}), so that the record protocols run unchanged over either.
 *
 * <p>Implementations are thread-safe: {@link #write} may be called from any thread; received bytes are delivered on
 * the link's own reader thread, in order.
 */
public interface ByteLink extends AutoCloseable {
    /** @return a name for the far end, e.g. {@code /dev/ttyUSB0} or {@code 10.0.0.5:1025} */
    String endpoint();

    /**
     * Starts delivering received bytes.
     *
     * @param receiver gets each chunk of bytes as it arrives (the array is the receiver's to keep)
     * @throws IOException if the link cannot be opened
     */
    void start(Consumer<byte[]> receiver) throws IOException;

    /**
     * Sends bytes.
     *
     * @param bytes the bytes
     * @throws IOException if the link is down
     */
    void write(byte[] bytes) throws IOException;

    /**
     * Whether the link still carries bytes: false once it was closed, or once its far end went away (the TCP peer
     * closed the connection, the serial adapter was unplugged) and its reader ended. A link that is not open stays
     * so; whoever owns it opens a new one.
     *
     * @return true while bytes can still arrive
     */
    boolean isOpen();

    /** Closes the link and stops its reader thread. */
    @Override
    void close();
}
