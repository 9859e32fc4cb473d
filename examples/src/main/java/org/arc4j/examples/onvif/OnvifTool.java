package org.arc4j.examples.onvif;

// Over 500 lines because it holds the tool's four subcommands and their output formats side by side, which is how an
// installer reading it finds what each command prints; each subcommand is a short nested class.

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.intake.AlarmIntake;
import org.arc4j.core.intake.IdempotencyKey;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.examples.cli.Cli;
import org.arc4j.protocols.onvif.DeviceInformation;
import org.arc4j.protocols.onvif.MediaProfile;
import org.arc4j.protocols.onvif.MediaUri;
import org.arc4j.protocols.onvif.NotificationMessage;
import org.arc4j.protocols.onvif.OnvifClient;
import org.arc4j.protocols.onvif.OnvifDevice;
import org.arc4j.protocols.onvif.OnvifDeviceConfig;
import org.arc4j.protocols.onvif.OnvifDiscovery;
import org.arc4j.protocols.onvif.OnvifEvents;
import org.arc4j.protocols.onvif.OnvifException;
import org.arc4j.protocols.onvif.ProbeMatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bin/arc4j-onvif}: what an installer or a camera vendor checks before a camera is put on a centre, with
 * the SDK's own ONVIF client (sdk-protocols {@code org.arc4j.protocols.onvif}), so that what the tool sees is
 * what the centre will see.
 * <ul>
 *   <li>{@code discover}: WS-Discovery Probe by multicast (ONVIF Core §7.3), one JSON line per device;</li>
 *   <li>{@code info URL}: {@code GetDeviceInformation} and the clock error (GA 1383 requires a known clock error of
 *       the devices alarms are timed from), one JSON line;</li>
 *   <li>{@code profiles URL}: the media profiles with their RTSP stream URIs, one JSON line each;</li>
 *   <li>{@code events URL}: the pull-point subscription the centre runs ({@link OnvifEvents}), one JSON line per
 *       notification with the alarm it maps to (GA 1383 category and qualifier), or {@code null}; until
 *       Ctrl-C or {@code --duration}.</li>
 * </ul>
 * The login is {@code --user} (default {@code admin}) and {@code --password}, or the password from the
 * environment variable {@value #PASSWORD_ENV} (which keeps it out of the process list); it is never printed.
 *
 * <p>Exit status: 0 done; 1 the device failed or refused (one line on stderr naming the device, e.g.
 * {@code arc4j-onvif: 192.0.2.10: not authorized (wrong user or password)}); 2 a usage error.
 * Not thread-safe: one {@link #run} at a time per stop signal.
 */
public final class OnvifTool {
    /** The environment variable the password is read from when {@code --password} is not given. */
    public static final String PASSWORD_ENV = "ARC4J_ONVIF_PASSWORD";
    private static final String NAME = "arc4j-onvif";
    private static final String SCOPE = "arc4j-onvif";

    private OnvifTool() {
    }

    /**
     * Runs the tool; Ctrl-C ends {@code events} cleanly (the subscription is ended on the device).
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        quietLogs();
        CompletableFuture<Void> stop = new CompletableFuture<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.complete(null);
            try {
                done.get(3, TimeUnit.SECONDS); // lets events unsubscribe before the JVM goes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // exiting anyway
            }
        }, "arc4j-onvif-stop"));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        int status = run(args, out, System.err, System.getenv(), stop);
        done.complete(null);
        System.exit(status);
    }

    /** The SDK logs through slf4j-simple to stderr: only warnings, and the event loop's re-subscriptions. */
    private static void quietLogs() {
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.org.arc4j.protocols.onvif.OnvifEvents", "info");
    }

    /**
     * Runs the tool with explicit streams, environment and stop signal (tests run it in-process so).
     *
     * @param args the command line
     * @param out  where results go (JSON lines)
     * @param err  where the one error line goes
     * @param env  the environment ({@value #PASSWORD_ENV})
     * @param stop completing it ends {@code events} early (Ctrl-C)
     * @return the exit status: 0, 1 (device error), 2 (usage)
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env,
                          CompletionStage<Void> stop) {
        CommandLine cl = commandLine();
        ParseResult parsed;
        try {
            parsed = cl.parseArgs(args);
        } catch (ParameterException e) {
            err.println(NAME + ": " + Cli.oneLine(e));
            return 2;
        }
        ParseResult sub = parsed.subcommand();
        ParseResult last = sub == null ? parsed : sub;
        if (last.isUsageHelpRequested()) {
            out.println(Cli.usage(last.commandSpec().commandLine()));
            return 0;
        }
        if (parsed.isVersionHelpRequested() || last.isVersionHelpRequested()) {
            cl.printVersionHelp(out);
            return 0;
        }
        if (sub == null) {
            err.println(NAME + ": name a command: discover, info, profiles or events (see --help)");
            return 2;
        }
        Object command = sub.commandSpec().userObject();
        try {
            if (command instanceof Discover d) {
                return d.run(out, err);
            }
            DeviceCommand dc = (DeviceCommand) command;
            return dc.run(out, err, env, stop.toCompletableFuture());
        } catch (UsageError e) {
            err.println(NAME + ": " + e.getMessage());
            return 2;
        }
    }

    /** @return a picocli command line for the tool (usage, shell completion) */
    public static CommandLine commandLine() {
        // the shared settings reach the subcommands: picocli applies them to the hierarchy declared so far
        return Cli.commandLine(new Tool());
    }

    /** A usage error found after parsing (a bad URL or interface name, no password). */
    private static final class UsageError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageError(String message) {
            super(message);
        }
    }

    @Command(name = NAME, mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = "Checks ONVIF cameras with arc4j's ONVIF client: discovery, device information, media"
                    + " profiles and events with the alarms they map to.",
            subcommands = {Discover.class, Info.class, Profiles.class, Events.class},
            footer = {"The password comes from --password or the environment variable " + PASSWORD_ENV + ".",
                    "exit status: 0 done; 1 the device failed or refused (one line on stderr); 2 a usage error"})
    static final class Tool {
    }

    // ------------------------------------------------------------------------------------------------ discover

    @Command(name = "discover", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = "Sends a WS-Discovery Probe for ONVIF devices and prints one JSON line per device found.")
    static final class Discover {
        @Spec
        CommandSpec spec;

        Duration timeout = Duration.ofSeconds(3);

        @Option(names = "--interface", paramLabel = "NAME", description = "a network interface to probe on"
                + " (repeatable; default every interface that is up and has IPv4 multicast)")
        List<String> interfaces = new ArrayList<>();

        @Option(names = "--port", paramLabel = "PORT", description = "the WS-Discovery port (default 3702)")
        int port = OnvifDiscovery.MULTICAST_GROUP.getPort();

        @Option(names = "--timeout", paramLabel = "DURATION", description = "how long to collect answers, e.g. 3s,"
                + " 1500ms (default 3s)")
        void timeout(String v) {
            timeout = OnvifTool.duration(spec, "--timeout", v);
        }

        int run(PrintStream out, PrintStream err) {
            List<NetworkInterface> nics = interfaces();
            if (port < 1 || port > 65_535) {
                throw new UsageError("--port out of range: " + port);
            }
            ExecutorService executor = Executors.newSingleThreadExecutor(daemon("arc4j-onvif-discovery"));
            try {
                InetSocketAddress group = new InetSocketAddress(OnvifDiscovery.MULTICAST_GROUP.getAddress(), port);
                List<ProbeMatch> found = new OnvifDiscovery(executor, group)
                        .discover(timeout, nics.toArray(NetworkInterface[]::new))
                        .get(timeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
                ObjectMapper json = new ObjectMapper();
                for (ProbeMatch m : found) {
                    out.println(describe(json, m));
                }
                out.flush();
                return 0;
            } catch (ExecutionException e) {
                err.println(NAME + ": discovery: " + message(e));
                return 1;
            } catch (TimeoutException e) {
                err.println(NAME + ": discovery did not finish");
                return 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            } finally {
                executor.shutdownNow();
            }
        }

        private List<NetworkInterface> interfaces() {
            List<NetworkInterface> nics = new ArrayList<>();
            try {
                if (!interfaces.isEmpty()) {
                    for (String name : interfaces) {
                        NetworkInterface nic = NetworkInterface.getByName(name);
                        if (nic == null) {
                            throw new UsageError("no network interface " + name);
                        }
                        nics.add(nic);
                    }
                    return nics;
                }
                for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
                    if (nic.isUp() && !nic.isLoopback() && nic.supportsMulticast() && nic.inetAddresses()
                            .anyMatch(a -> a instanceof java.net.Inet4Address)) {
                        nics.add(nic);
                    }
                }
            } catch (SocketException e) {
                throw new UsageError("cannot list network interfaces: " + e.getMessage());
            }
            if (nics.isEmpty()) {
                throw new UsageError("no network interface with IPv4 multicast is up; name one with --interface");
            }
            return nics;
        }
    }

    /**
     * One device found, as a JSON line: endpoint reference, device service addresses, the name and hardware from
     * its ONVIF scopes, all scopes and types, and where the answer came from.
     *
     * @param json the mapper
     * @param m    the match
     * @return the line
     */
    static String describe(ObjectMapper json, ProbeMatch m) {
        ObjectNode n = json.createObjectNode();
        n.put("endpointReference", m.endpointReference());
        ArrayNode x = n.putArray("xaddrs");
        m.xaddrs().forEach(u -> x.add(u.toString()));
        n.put("name", scope(m, "name"));
        n.put("hardware", scope(m, "hardware"));
        ArrayNode s = n.putArray("scopes");
        m.scopes().forEach(s::add);
        ArrayNode t = n.putArray("types");
        m.types().forEach(t::add);
        n.put("from", m.from().getAddress().getHostAddress() + ":" + m.from().getPort());
        return n.toString();
    }

    /** A scope value {@code onvif://www.onvif.org/KEY/VALUE}, percent-decoded, or null. */
    private static String scope(ProbeMatch m, String key) {
        String prefix = "onvif://www.onvif.org/" + key + "/";
        for (String s : m.scopes()) {
            if (s.startsWith(prefix)) {
                return java.net.URLDecoder.decode(s.substring(prefix.length()), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------------ devices

    /** What the commands on one device share: its address and the login. */
    abstract static class DeviceCommand {
        @Parameters(index = "0", paramLabel = "URL", description = "the device service address, e.g."
                + " http://192.0.2.10/onvif/device_service, or just the host[:port]")
        String url;

        @Option(names = "--user", paramLabel = "USER", description = "the ONVIF user (default admin)")
        String user = "admin";

        @Option(names = "--password", paramLabel = "PASSWORD", description = "the password (better: the"
                + " environment variable " + PASSWORD_ENV + ", which keeps it out of the process list)")
        String password;

        final int run(PrintStream out, PrintStream err, Map<String, String> env, CompletableFuture<Void> stop) {
            URI address = address(url);
            String pw = password != null ? password : env.get(PASSWORD_ENV);
            if (pw == null) {
                throw new UsageError("no password: give --password or set " + PASSWORD_ENV);
            }
            InMemoryCredentialStore store = new InMemoryCredentialStore();
            store.put(CredentialKey.of(CredentialKind.ONVIF_LOGIN, SCOPE), new Credential(user, Secret.ofUtf8(pw),
                    Map.of()));
            try (SystemScheduler scheduler = new SystemScheduler();
                 OnvifClient client = OnvifClient.builder(scheduler, store).build()) {
                OnvifDevice device = client.device(OnvifDeviceConfig.of(address, SCOPE));
                return run(device, scheduler, out, stop);
            } catch (ExecutionException e) {
                err.println(NAME + ": " + hostOf(address) + ": " + message(e));
                return 1;
            } catch (TimeoutException e) {
                err.println(NAME + ": " + hostOf(address) + ": no answer");
                return 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }

        abstract int run(OnvifDevice device, SystemScheduler scheduler, PrintStream out, CompletableFuture<Void> stop)
                throws ExecutionException, TimeoutException, InterruptedException;
    }

    @Command(name = "info", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = "Prints the device information (manufacturer, model, firmware, serial number) and the"
                    + " device clock's error as one JSON line.")
    static final class Info extends DeviceCommand {
        @Override
        int run(OnvifDevice device, SystemScheduler scheduler, PrintStream out, CompletableFuture<Void> stop)
                throws ExecutionException, TimeoutException, InterruptedException {
            DeviceInformation i = await(device.getDeviceInformation());
            ObjectNode n = new ObjectMapper().createObjectNode();
            n.put("address", device.config().address().toString());
            n.put("manufacturer", i.manufacturer());
            n.put("model", i.model());
            n.put("firmwareVersion", i.firmwareVersion());
            n.put("serialNumber", i.serialNumber());
            n.put("hardwareId", i.hardwareId());
            Duration offset = device.clockOffset();
            if (offset == null) {
                n.putNull("clockOffsetSeconds");
            } else {
                n.put("clockOffsetSeconds", offset.toMillis() / 1000.0);
            }
            out.println(n);
            out.flush();
            return 0;
        }
    }

    @Command(name = "profiles", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = "Prints the media profiles (Media2 where offered) with their RTSP stream URIs, one JSON"
                    + " line each.")
    static final class Profiles extends DeviceCommand {
        @Override
        int run(OnvifDevice device, SystemScheduler scheduler, PrintStream out, CompletableFuture<Void> stop)
                throws ExecutionException, TimeoutException, InterruptedException {
            ObjectMapper json = new ObjectMapper();
            for (MediaProfile p : await(device.getProfiles())) {
                MediaUri u = await(device.getStreamUri(p.token()));
                ObjectNode n = json.createObjectNode();
                n.put("token", p.token());
                n.put("name", p.name());
                n.put("encoding", p.encoding());
                n.put("width", p.width());
                n.put("height", p.height());
                n.put("mediaVersion", p.mediaVersion());
                n.put("streamUri", u.uri().toString());
                if (u.rewritten()) {
                    n.put("reportedStreamUri", u.reported().toString());
                }
                out.println(n);
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "events", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = "Subscribes to the device's events as the centre does and prints one JSON line per"
                    + " notification with the alarm it maps to (null when none), until Ctrl-C or --duration.")
    static final class Events extends DeviceCommand {
        @Spec
        CommandSpec spec;

        Duration duration;

        @Option(names = "--duration", paramLabel = "DURATION", description = "stop after this long, e.g. 30s, 5m"
                + " (default: until Ctrl-C)")
        void duration(String v) {
            duration = OnvifTool.duration(spec, "--duration", v);
        }

        @Override
        int run(OnvifDevice device, SystemScheduler scheduler, PrintStream out, CompletableFuture<Void> stop)
                throws ExecutionException, TimeoutException, InterruptedException {
            // a wrong password or an unreachable device is one error line, not a subscription retried forever
            await(device.services());
            ObjectMapper json = new ObjectMapper();
            Object lock = new Object();
            OnvifEvents.Observer print = (m, alarms) -> {
                String line = describe(json, m, alarms);
                synchronized (lock) {
                    out.println(line);
                    out.flush();
                }
            };
            InMemorySupervisor supervisor = new InMemorySupervisor(scheduler);
            OnvifEvents events = OnvifEvents.builder(device, ACCEPT_ALL, supervisor).observer(print).build();
            try {
                events.start();
                CompletableFuture<Void> end = duration == null ? stop
                        : stop.copy().completeOnTimeout(null, duration.toMillis(), TimeUnit.MILLISECONDS);
                end.join();
            } finally {
                try {
                    // ends the subscription on the camera instead of leaving it to expire
                    events.closeAsync().get(5, TimeUnit.SECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // the camera will drop it at its termination time
                }
            }
            return 0;
        }
    }

    /** The tool shows alarms; it files none. */
    private static final AlarmIntake ACCEPT_ALL = new AlarmIntake() {
        @Override
        public CompletionStage<Receipt> accept(List<AlarmEvent> events, IdempotencyKey key) {
            return CompletableFuture.completedFuture(new Receipt.Accepted(key, events, false));
        }
    };

    /**
     * One notification as a JSON line: its time, topic, property operation, source and data items, and the alarm
     * it maps to (code, qualifier, GA 1383 category and priority, zone), or {@code null}.
     *
     * @param json   the mapper
     * @param m      the notification
     * @param alarms the alarm events it raised
     * @return the line
     */
    static String describe(ObjectMapper json, NotificationMessage m, List<AlarmEvent> alarms) {
        ObjectNode n = json.createObjectNode();
        n.put("utcTime", m.utcTime() == null ? m.utcTimeText() : m.utcTime().toString());
        n.put("topic", m.rawTopic());
        n.put("operation", m.propertyOperation());
        ObjectNode source = n.putObject("source");
        m.source().forEach(source::put);
        ObjectNode data = n.putObject("data");
        m.data().forEach(data::put);
        if (alarms.isEmpty()) {
            n.putNull("alarm");
        } else {
            AlarmEvent e = alarms.get(0);
            ObjectNode a = n.putObject("alarm");
            a.put("code", e.code());
            a.put("qualifier", e.qualifier() == null ? null : e.qualifier().name());
            a.put("category", e.category().name());
            a.put("priority", e.priority());
            a.put("zone", e.zone());
            a.put("description", e.description());
        }
        return n.toString();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static <T> T await(CompletableFuture<T> f)
            throws ExecutionException, TimeoutException, InterruptedException {
        // the client's own request timeouts end a request first; this only bounds a stuck chain
        return f.get(60, TimeUnit.SECONDS);
    }

    /**
     * The device service address from what an installer types: a full URL, or {@code host[:port]} for the
     * usual path.
     *
     * @param text the argument
     * @return the address
     */
    static URI address(String text) {
        String t = text.trim();
        try {
            URI u = URI.create(t.contains("://") ? t : "http://" + t + "/onvif/device_service");
            if (u.getHost() == null || !("http".equalsIgnoreCase(u.getScheme())
                    || "https".equalsIgnoreCase(u.getScheme()))) {
                throw new UsageError("not an http(s) device address: " + text);
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new UsageError("not a device address: " + text);
        }
    }

    private static String hostOf(URI u) {
        return u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
    }

    /**
     * A failure in the installer's words; never contains a password (the client's messages have none).
     *
     * @param e the failure
     * @return the text after the device's name
     */
    static String message(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (!(t instanceof OnvifException oe)) {
            return String.valueOf(t.getMessage());
        }
        if (oe.isAuthenticationFailure()) {
            return "not authorized (wrong user or password)";
        }
        return switch (oe.kind()) {
            case LOCKED_OUT -> "not authorized (wrong user or password); not asking again for now";
            case CONNECT -> "cannot connect" + (oe.getCause() == null ? "" : " (" + oe.getCause().getMessage() + ")");
            case TIMEOUT -> "no answer in time";
            case UNTRUSTED_CERTIFICATE -> "untrusted TLS certificate";
            case UNSUPPORTED -> "not supported: " + oe.getMessage();
            default -> oe.getMessage();
        };
    }

    /**
     * Reads a duration as typed: {@code 1500ms}, {@code 3s}, {@code 5m}, {@code 1h}, or ISO-8601 ({@code PT3S}).
     *
     * @param spec the command, for picocli's error
     * @param flag the flag, for the error message
     * @param v    the text
     * @return the duration, positive
     */
    static Duration duration(CommandSpec spec, String flag, String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (s.startsWith("pt")) {
                d = Duration.parse(s.toUpperCase(Locale.ROOT));
            } else if (s.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            } else if (s.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
            } else if (s.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
            } else if (s.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
            } else {
                d = Duration.ofSeconds(Long.parseLong(s));
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), flag + " is not a duration: " + v);
        }
        if (d.isNegative() || d.isZero()) {
            throw new ParameterException(spec.commandLine(), flag + " must be positive: " + v);
        }
        return d;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
