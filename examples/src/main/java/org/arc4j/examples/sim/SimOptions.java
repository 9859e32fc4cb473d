package org.arc4j.examples.sim;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The command line of {@code bin/arc4j-panel-sim}. {@link #parse} turns bad flags into one
 * {@link IllegalArgumentException} line.
 *
 * @param target       the receiver ({@code --target host:port})
 * @param udp          DC-09 over UDP instead of TCP ({@code --udp})
 * @param panels       simulated panels, one connection (TCP) or socket (UDP) each ({@code --panels}, default 1)
 * @param rate         events per second over all panels, an open-model constant rate ({@code --rate}, default 10)
 * @param duration     how long events are sent ({@code --duration} seconds, default 10)
 * @param keyHex       the AES key as hex for every panel, or null for plain ({@code --key})
 * @param nullInterval the NULL poll interval of each panel, or null for none ({@code --null-interval} seconds)
 * @param sourceIps    local addresses the connections are spread over ({@code --source-ips a,b,c}), to pass the
 *                     port limit of one address; empty for the system's choice
 * @param accountBase  the first panel's account; panel k reports as accountBase + k in hex ({@code --account-base},
 *                     default 100000)
 * @param receiver     the DC-09 receiver number, or null ({@code --receiver})
 * @param line         the DC-09 line prefix, or null ({@code --line})
 * @param ackTimeout   how long to wait for an ACK before counting a timeout ({@code --timeout} ms, default 10000)
 * @param threads      Netty event loop threads ({@code --threads}, default 2)
 * @param connectRamp  connections opened at once while connecting ({@code --connect-batch}, default 256)
 */
public record SimOptions(InetSocketAddress target, boolean udp, int panels, double rate, Duration duration,
                         String keyHex, Duration nullInterval, List<InetAddress> sourceIps, long accountBase,
                         String receiver, String line, Duration ackTimeout, int threads, int connectRamp) {
    /** Validates. */
    public SimOptions {
        Objects.requireNonNull(target, "target");
        sourceIps = List.copyOf(sourceIps);
        if (panels < 1) {
            throw new IllegalArgumentException("--panels must be at least 1");
        }
        if (!(rate >= 0)) {
            throw new IllegalArgumentException("--rate must not be negative");
        }
    }

    /** @return the usage text */
    public static String usage() {
        return String.join("\n",
                "usage: arc4j-panel-sim --target HOST:PORT [options]",
                "  --udp                 DC-09 over UDP (default TCP)",
                "  --panels N            simulated panels, one connection each (default 1)",
                "  --rate EVENTS_PER_S   constant event rate over all panels, open model (default 10)",
                "  --duration S          seconds of events (default 10)",
                "  --key HEX             AES-128/192/256 key for every panel (default plain)",
                "  --null-interval S     NULL poll interval of each panel (default none)",
                "  --source-ips A,B,...  local addresses to spread the connections over (e.g. 127.0.0.2,127.0.0.3)",
                "  --account-base HEX    first panel's account (default 100000); panel k = base + k",
                "  --receiver HEX        DC-09 receiver number (default none)",
                "  --line HEX            DC-09 line prefix (default none)",
                "  --timeout MS          ACK timeout (default 10000)",
                "  --threads N           event loop threads (default 2)",
                "  --connect-batch N     connections opened at once (default 256)",
                "  --self-test           measure the simulator itself against an in-process null receiver"
                        + " (no --target)",
                "exit status: 0 when every event was acknowledged, 1 when one was not, 2 for bad options");
    }

    /**
     * Parses a command line.
     *
     * @param args the arguments
     * @return the options
     * @throws IllegalArgumentException with one line for a bad flag or value
     */
    public static SimOptions parse(String... args) {
        InetSocketAddress target = null;
        boolean udp = false;
        int panels = 1;
        double rate = 10;
        Duration duration = Duration.ofSeconds(10);
        String key = null;
        Duration nullInterval = null;
        List<InetAddress> sources = new ArrayList<>();
        long base = 0x100000;
        String receiver = null;
        String line = null;
        Duration timeout = Duration.ofSeconds(10);
        int threads = 2;
        int ramp = 256;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--udp")) {
                udp = true;
                continue;
            }
            if (!flag.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + flag + "' (see --help)");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String v = args[++i];
            switch (flag) {
                case "--target" -> target = address(v);
                case "--panels" -> panels = (int) number(flag, v, 1, 1_000_000);
                case "--rate" -> rate = decimal(flag, v);
                case "--duration" -> duration = Duration.ofMillis((long) (decimal(flag, v) * 1000));
                case "--key" -> {
                    if (!v.matches("[0-9A-Fa-f]{32}|[0-9A-Fa-f]{48}|[0-9A-Fa-f]{64}")) {
                        throw new IllegalArgumentException("--key must be 32, 48 or 64 hex digits");
                    }
                    key = v;
                }
                case "--null-interval" -> nullInterval = Duration.ofMillis((long) (decimal(flag, v) * 1000));
                case "--source-ips" -> {
                    for (String s : v.split(",")) {
                        try {
                            sources.add(InetAddress.getByName(s.trim()));
                        } catch (UnknownHostException e) {
                            throw new IllegalArgumentException("--source-ips: unknown address " + s);
                        }
                    }
                }
                case "--account-base" -> {
                    try {
                        base = Long.parseLong(v, 16);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--account-base must be hex");
                    }
                }
                case "--receiver" -> receiver = hex(flag, v, 1, 6);
                case "--line" -> line = hex(flag, v, 1, 6);
                case "--timeout" -> timeout = Duration.ofMillis(number(flag, v, 1, 600_000));
                case "--threads" -> threads = (int) number(flag, v, 1, 64);
                case "--connect-batch" -> ramp = (int) number(flag, v, 1, 100_000);
                default -> throw new IllegalArgumentException("unknown option " + flag + " (see --help)");
            }
        }
        if (target == null) {
            throw new IllegalArgumentException("--target HOST:PORT is required");
        }
        if (nullInterval != null && nullInterval.isZero()) {
            nullInterval = null;
        }
        return new SimOptions(target, udp, panels, rate, duration, key, nullInterval, sources, base, receiver, line,
                timeout, threads, ramp);
    }

    private static InetSocketAddress address(String v) {
        int colon = v.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--target must be HOST:PORT, got '" + v + "'");
        }
        String host = v.substring(0, colon).replace("[", "").replace("]", "");
        long port = number("--target port", v.substring(colon + 1), 1, 65535);
        return new InetSocketAddress(host, (int) port);
    }

    private static long number(String flag, String v, long min, long max) {
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number from " + min + " to " + max + ", got '" + v
                    + "'");
        }
    }

    private static double decimal(String flag, String v) {
        try {
            double d = Double.parseDouble(v);
            if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a non-negative number, got '" + v + "'");
        }
    }

    private static String hex(String flag, String v, int min, int max) {
        if (!v.matches("[0-9A-Fa-f]{" + min + "," + max + "}")) {
            throw new IllegalArgumentException(flag + " must be " + min + " to " + max + " hex digits");
        }
        return v.toUpperCase(java.util.Locale.ROOT);
    }
}
