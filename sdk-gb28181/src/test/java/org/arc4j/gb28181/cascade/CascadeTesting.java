package org.arc4j.gb28181.cascade;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.arc4j.core.testkit.Await;

/** Waiting for what arrives over loopback, and for the cascade's thread, in the cascade tests. */
final class CascadeTesting {
    private CascadeTesting() {
    }

    /**
     * Waits until a condition holds (what the network delivers), failing after 20 s of real time; the tests'
     * timers run on virtual time, so this bounds a hang, it measures nothing.
     */
    static void await(String what, BooleanSupplier cond) throws InterruptedException {
        Await.until(Duration.ofSeconds(20), cond, () -> what);
    }

    /** Lets the cascade's (single) thread finish what it was handed, and what that handed on. */
    static void drain(ExecutorService exec) throws Exception {
        exec.submit(() -> { }).get(10, TimeUnit.SECONDS);
        exec.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    /** @return a UDP port on loopback free a moment ago */
    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
