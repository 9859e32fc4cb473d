package org.arc4j.examples.sim;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.arc4j.examples.cli.Cli;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The command line of {@code bin/arc4j-panel-sim}, declared for picocli (which also gives {@code --help},
 * {@code --version} and the shell completion of {@code bin/arc4j-completion}). {@link #parse} turns bad flags into
 * one {@link IllegalArgumentException} line.
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
 * @param secondary    the panels' secondary path ({@code --target A,B}), or null for one path
 * @param ackedLog     where every ACKed event is written, one line each ({@code --acked-log}), or null
 * @param retries      attempts on one path before a panel switches to the other ({@code --retries}, default 2)
 */
public record SimOptions(InetSocketAddress target, boolean udp, int panels, double rate, Duration duration,
                         String keyHex, Duration nullInterval, List<InetAddress> sourceIps, long accountBase,
                         String receiver, String line, Duration ackTimeout, int threads, int connectRamp,
                         InetSocketAddress secondary, java.nio.file.Path ackedLog, int retries) {
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
        if (udp && panelMode(secondary, ackedLog)) {
            throw new IllegalArgumentException("--target A,B and --acked-log simulate panels over TCP only");
        }
        if (retries < 1) {
            throw new IllegalArgumentException("--retries must be at least 1");
        }
    }

    /**
     * @return whether the run simulates panels one message at a time, with retries and failover to the secondary
     *         path ({@link FailoverPanels}), instead of the open-model load generator: with two targets or an ACKed
     *         log
     */
    public boolean panelMode() {
        return panelMode(secondary, ackedLog);
    }

    private static boolean panelMode(InetSocketAddress secondary, java.nio.file.Path ackedLog) {
        return secondary != null || ackedLog != null;
    }

    /** @return the usage text, without blank lines */
    public static String usage() {
        return Cli.usage(commandLine());
    }

    /** @return a picocli command line for these options (for usage, {@code --version} and shell completion) */
    public static CommandLine commandLine() {
        return Cli.commandLine(new Flags());
    }

    /**
     * Parses a command line.
     *
     * @param args the arguments
     * @return the options
     * @throws IllegalArgumentException with one line for a bad flag or value
     */
    public static SimOptions parse(String... args) {
        return parse(Cli.commandLine(new Flags()), args);
    }

    /**
     * Parses a command line with a command line from {@link #commandLine()}, whose
     * {@link CommandLine#isUsageHelpRequested()} and {@link CommandLine#isVersionHelpRequested()} then tell whether
     * {@code --help} or {@code --version} was asked for (the options are then not checked and null is returned).
     *
     * @param cl   the command line
     * @param args the arguments
     * @return the options, or null for {@code --help} and {@code --version}
     * @throws IllegalArgumentException with one line for a bad flag or value
     */
    public static SimOptions parse(CommandLine cl, String... args) {
        Cli.parse(cl, args);
        if (cl.isUsageHelpRequested() || cl.isVersionHelpRequested()) {
            return null;
        }
        Flags f = cl.getCommand();
        if (f.target == null) {
            throw new IllegalArgumentException("--target HOST:PORT is required");
        }
        Duration nullInterval = f.nullInterval != null && f.nullInterval.isZero() ? null : f.nullInterval;
        return new SimOptions(f.target, f.udp, f.panels, f.rate, f.duration, f.key, nullInterval, f.sources, f.base,
                f.receiver, f.line, f.timeout, f.threads, f.ramp, f.secondary, f.ackedLog, f.retries);
    }

    /** The flags as picocli sees them: each setter checks its value and says what is wrong in one line. */
    @Command(name = "arc4j-panel-sim", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            sortOptions = false, customSynopsis = "usage: arc4j-panel-sim --target HOST:PORT[,HOST:PORT] [options]",
            synopsisHeading = "",
            description = "Loads a SIA DC-09 receiver with simulated panels at a constant rate and prints ACK latency"
                    + " percentiles.",
            footer = "exit status: 0 when every event was acknowledged, 1 when one was not, 2 for bad options")
    static final class Flags {
        @Spec
        CommandSpec spec;
        InetSocketAddress target;
        InetSocketAddress secondary;
        java.nio.file.Path ackedLog;
        int retries = 2;
        boolean udp;
        int panels = 1;
        double rate = 10;
        Duration duration = Duration.ofSeconds(10);
        String key;
        Duration nullInterval;
        final List<InetAddress> sources = new ArrayList<>();
        long base = 0x100000;
        String receiver;
        String line;
        Duration timeout = Duration.ofSeconds(10);
        int threads = 2;
        int ramp = 256;

        @Option(names = "--target", paramLabel = "HOST:PORT[,HOST:PORT]", order = 1,
                description = "the DC-09 receiver (required); a second one is the panels' secondary path: a panel"
                        + " sends there after --retries unanswered attempts, as a real panel fails over")
        void target(String v) {
            String[] both = v.split(",", -1);
            if (both.length > 2) {
                throw new ParameterException(spec.commandLine(), "--target takes one or two HOST:PORT");
            }
            target = checked(() -> address(both[0].trim()));
            secondary = both.length == 2 ? checked(() -> address(both[1].trim())) : null;
        }

        @Option(names = "--acked-log", paramLabel = "FILE", order = 16,
                description = "write every ACKed event to FILE, one line each (account sequence zone node), for"
                        + " loss checks; simulates panels one message at a time, as --target A,B does")
        void ackedLog(String v) {
            ackedLog = java.nio.file.Path.of(v);
        }

        @Option(names = "--retries", paramLabel = "N", order = 17,
                description = "attempts on one path before a panel fails over to the other (default 2)")
        void retries(String v) {
            retries = (int) (long) checked(() -> number("--retries", v, 1, 100));
        }

        @Option(names = "--udp", order = 2, description = "DC-09 over UDP (default TCP)")
        void udp(boolean v) {
            udp = v;
        }

        @Option(names = "--panels", paramLabel = "N", order = 3,
                description = "simulated panels, one connection each (default 1)")
        void panels(String v) {
            panels = (int) (long) checked(() -> number("--panels", v, 1, 1_000_000));
        }

        @Option(names = "--rate", paramLabel = "EVENTS_PER_S", order = 4,
                description = "constant event rate over all panels, open model (default 10)")
        void rate(String v) {
            rate = checked(() -> decimal("--rate", v));
        }

        @Option(names = "--duration", paramLabel = "S", order = 5, description = "seconds of events (default 10)")
        void duration(String v) {
            duration = Duration.ofMillis((long) (checked(() -> decimal("--duration", v)) * 1000));
        }

        @Option(names = "--key", paramLabel = "HEX", order = 6,
                description = "AES-128/192/256 key for every panel (default plain)")
        void key(String v) {
            if (!v.matches("[0-9A-Fa-f]{32}|[0-9A-Fa-f]{48}|[0-9A-Fa-f]{64}")) {
                throw new ParameterException(spec.commandLine(), "--key must be 32, 48 or 64 hex digits");
            }
            key = v;
        }

        @Option(names = "--null-interval", paramLabel = "S", order = 7,
                description = "NULL poll interval of each panel (default none)")
        void nullInterval(String v) {
            nullInterval = Duration.ofMillis((long) (checked(() -> decimal("--null-interval", v)) * 1000));
        }

        @Option(names = "--source-ips", paramLabel = "A,B,...", order = 8,
                description = "local addresses to spread the connections over (e.g. 127.0.0.2,127.0.0.3)")
        void sourceIps(String v) {
            for (String s : v.split(",")) {
                try {
                    sources.add(InetAddress.getByName(s.trim()));
                } catch (UnknownHostException e) {
                    throw new ParameterException(spec.commandLine(), "--source-ips: unknown address " + s);
                }
            }
        }

        @Option(names = "--account-base", paramLabel = "HEX", order = 9,
                description = "first panel's account (default 100000); panel k = base + k")
        void accountBase(String v) {
            try {
                base = Long.parseLong(v, 16);
            } catch (NumberFormatException e) {
                throw new ParameterException(spec.commandLine(), "--account-base must be hex");
            }
        }

        @Option(names = "--receiver", paramLabel = "HEX", order = 10,
                description = "DC-09 receiver number (default none)")
        void receiver(String v) {
            receiver = checked(() -> hex("--receiver", v, 1, 6));
        }

        @Option(names = "--line", paramLabel = "HEX", order = 11, description = "DC-09 line prefix (default none)")
        void line(String v) {
            line = checked(() -> hex("--line", v, 1, 6));
        }

        @Option(names = "--timeout", paramLabel = "MS", order = 12, description = "ACK timeout (default 10000)")
        void timeout(String v) {
            timeout = Duration.ofMillis(checked(() -> number("--timeout", v, 1, 600_000)));
        }

        @Option(names = "--threads", paramLabel = "N", order = 13, description = "event loop threads (default 2)")
        void threads(String v) {
            threads = (int) (long) checked(() -> number("--threads", v, 1, 64));
        }

        @Option(names = "--connect-batch", paramLabel = "N", order = 14,
                description = "connections opened at once (default 256)")
        void connectBatch(String v) {
            ramp = (int) (long) checked(() -> number("--connect-batch", v, 1, 100_000));
        }

        /** Taken out by {@code PanelSimulator.main} before parsing; declared here so help and completion show it. */
        @Option(names = "--self-test", order = 15,
                description = "measure the simulator itself against an in-process null receiver (no --target)")
        boolean selfTest;

        /** The value checks below speak IllegalArgumentException; picocli hears ParameterException. */
        private <T> T checked(java.util.function.Supplier<T> check) {
            try {
                return check.get();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
        }
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
