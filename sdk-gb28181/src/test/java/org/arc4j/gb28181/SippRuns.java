package org.arc4j.gb28181;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What the sipp-driven tests of this module and of the reference centre share: a run's end, its logs, a port. */
public final class SippRuns {
    private SippRuns() {
    }

    /**
     * Waits up to 60 s for a sipp run to end.
     *
     * @param p the sipp process
     * @return its exit code (0 when its scenario passed)
     * @throws InterruptedException if interrupted
     */
    public static int finish(Process p) throws InterruptedException {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("sipp did not finish");
        }
        return p.exitValue();
    }

    /**
     * @param dir sipp's working directory
     * @return {@link SippLogs#of}, or what kept it from being read
     */
    public static String logs(Path dir) {
        try {
            return SippLogs.of(dir);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /**
     * @return a UDP port free on the loopback address just now
     * @throws IOException if no socket can be opened
     */
    public static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
