package org.arc4j.protocols.serial;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link ByteLink} over a serial port, through jSerialComm. Hardware receivers default to 9600 baud, 8 data bits,
 * no parity, one stop bit (Sur-Gard MLR2 manual, "Data Byte protocol"). Thread-safe.
 */
public final class SerialPortLink implements ByteLink {
    private final SerialPort port;
    private final String endpoint;
    private final Object writeLock = new Object();
    private volatile boolean closed;
    private Thread reader;

    /**
     * A link on a port, 8N1 at the given speed.
     *
     * @param device the device path, e.g. {@code /dev/ttyS0}, {@code /dev/ttyUSB0} or {@code COM3}
     * @param baud   the speed, e.g. 9600
     */
    public SerialPortLink(String device, int baud) {
        this.endpoint = Objects.requireNonNull(device, "device");
        this.port = SerialPort.getCommPort(device);
        port.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
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
        if (!port.openPort()) {
            throw new IOException("cannot open serial port " + endpoint + " (error " + port.getLastErrorCode() + ")");
        }
        // blocking reads that wake up now and then, so that close() ends the reader
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 200, 0);
        InputStream in = port.getInputStream();
        reader = new Thread(() -> {
            byte[] buf = new byte[256];
            while (!closed) {
                try {
                    int n = in.read(buf);
                    if (n > 0) {
                        receiver.accept(Arrays.copyOf(buf, n));
                    } else if (n < 0) {
                        return;
                    }
                } catch (IOException e) {
                    // jSerialComm reports a read timeout as an exception: read again unless closed
                    if (!port.isOpen()) {
                        return;
                    }
                }
            }
        }, "arc4j-serial-link " + endpoint);
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        synchronized (writeLock) {
            if (closed || !port.isOpen()) {
                throw new IOException("serial port " + endpoint + " is not open");
            }
            int n = port.writeBytes(bytes, bytes.length);
            if (n != bytes.length) {
                throw new IOException("wrote " + n + " of " + bytes.length + " bytes to " + endpoint);
            }
        }
    }

    @Override
    public synchronized boolean isOpen() {
        return !closed && port.isOpen() && (reader == null || reader.isAlive());
    }

    @Override
    public void close() {
        closed = true;
        port.closePort();
    }
}
