package org.arc4j.benchmarks.gb28181;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.gb28181.platform.GbPlatform;
import org.arc4j.gb28181.platform.GbPlatformConfig;
import org.arc4j.gb28181.sip.SipTimers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * REGISTER and keepalive handling by the platform, end to end over loopback UDP: the device side (this thread)
 * sends a request and waits for the answer, so one operation is one round trip through the kernel, the SIP
 * parser, the transaction layer, the platform (registry, supervisor check-in with its timer) and the encoder.
 * The per-operation time bounds the centre's CPU per message from above (it includes the client and the
 * kernel). Issue 8's target: 10,000 devices at 60 s keepalives (167 per second) under 10 % of one core, i.e.
 * under 600 µs per keepalive.
 *
 * <p>{@value #DEVICES} devices are registered before measuring (so the registry and the supervisor hold that many
 * devices and deadlines), and the keepalives go round-robin over all of them.
 *
 * <p>Server transactions linger for timer J (64×T1); T1 is set to 50 ms here so that a run does not pile up
 * hundreds of thousands of completed transactions.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class KeepaliveBenchmark {
    static final String PLATFORM = "34020000002000000001";
    /** Devices registered before measuring. */
    public static final int DEVICES = 10_000;
    private static final Pattern NONCE = Pattern.compile("nonce=\"([^\"]+)\"");
    private static final Pattern OPAQUE = Pattern.compile("opaque=\"([^\"]+)\"");

    private SystemScheduler scheduler;
    private InMemoryAlarmIntake intake;
    private GbPlatform platform;
    private DatagramChannel channel;
    private InetSocketAddress target;
    private final ByteBuffer in = ByteBuffer.allocate(65536);
    private long seq;

    /** Starts the platform and registers the device once. */
    @Setup(Level.Trial)
    public void setup() throws Exception {
        scheduler = new SystemScheduler();
        intake = new InMemoryAlarmIntake(scheduler.clock());
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        platform = GbPlatform.start(GbPlatformConfig.builder(PLATFORM).bindHost("127.0.0.1").udpPort(0).tcpPort(-1)
                .queryCatalogOnRegister(false).defaultPassword("12345678").timers(new SipTimers(Duration.ofMillis(50), Duration.ofMillis(400),
                        Duration.ofMillis(500))).build(), scheduler, intake, new InMemorySupervisor(scheduler), store,
                new SimpleMetrics());
        target = platform.stack().udpAddress();
        channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        channel.connect(target);
        channel.socket().setSoTimeout(5000);
        for (int i = DEVICES - 1; i >= 0; i--) {
            if (!register(deviceId(i)).startsWith("SIP/2.0 200")) {
                throw new IllegalStateException("registration failed");
            }
        }
        if (platform.registry().all().size() != DEVICES) {
            throw new IllegalStateException("registered " + platform.registry().all().size());
        }
    }

    /** Stops everything. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        channel.close();
        platform.close();
        intake.close();
        scheduler.close();
    }

    private String roundTrip(String request) throws Exception {
        channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        in.clear();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        channel.configureBlocking(true);
        int n = channel.read(in);
        if (n <= 0 || System.nanoTime() > deadline) {
            throw new SocketTimeoutException("no answer");
        }
        return new String(in.array(), 0, n, StandardCharsets.US_ASCII);
    }

    private static String deviceId(int i) {
        return String.format("3402000000132%07d", i + 1);
    }

    private String registerRequest(String device, String auth) {
        long s = ++seq;
        return "REGISTER sip:" + PLATFORM + "@3402000000 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + channel.socket().getLocalPort() + ";rport;branch=z9hG4bKr" + s + "\r\n"
                + "From: <sip:" + device + "@3402000000>;tag=bench\r\n"
                + "To: <sip:" + device + "@3402000000>\r\n"
                + "Call-ID: bench-register-" + device + "\r\n"
                + "CSeq: " + s + " REGISTER\r\n"
                + "Contact: <sip:" + device + "@127.0.0.1:" + channel.socket().getLocalPort() + ">\r\n"
                + (auth == null ? "" : "Authorization: " + auth + "\r\n")
                + "Max-Forwards: 70\r\nExpires: 3600\r\nContent-Length: 0\r\n\r\n";
    }

    private static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A full digest registration: REGISTER, 401, REGISTER with credentials (RFC 2069 form), 200.
     *
     * @return the final answer's text
     * @throws Exception on I/O failure
     */
    @Benchmark
    public String register() throws Exception {
        return register(deviceId((int) (seq % DEVICES)));
    }

    private String register(String device) throws Exception {
        String challenge = roundTrip(registerRequest(device, null));
        Matcher n = NONCE.matcher(challenge);
        Matcher o = OPAQUE.matcher(challenge);
        if (!n.find() || !o.find()) {
            throw new IllegalStateException("no challenge: " + challenge);
        }
        String uri = "sip:" + PLATFORM + "@3402000000";
        String response = md5(md5(device + ":3402000000:12345678") + ":" + n.group(1) + ":" + md5("REGISTER:" + uri));
        return roundTrip(registerRequest(device, "Digest username=\"" + device + "\", realm=\"3402000000\", nonce=\""
                + n.group(1) + "\", uri=\"" + uri + "\", response=\"" + response + "\", algorithm=MD5, opaque=\""
                + o.group(1) + "\""));
    }

    /**
     * One keepalive MESSAGE and its 200 OK.
     *
     * @return the answer's text
     * @throws Exception on I/O failure
     */
    @Benchmark
    public String keepalive() throws Exception {
        long s = ++seq;
        String device = deviceId((int) (s % DEVICES));
        String body = "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n"
                + "<SN>" + s + "</SN>\r\n<DeviceID>" + device + "</DeviceID>\r\n<Status>OK</Status>\r\n</Notify>\r\n";
        return roundTrip("MESSAGE sip:" + PLATFORM + "@3402000000 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + channel.socket().getLocalPort() + ";rport;branch=z9hG4bKk" + s + "\r\n"
                + "From: <sip:" + device + "@3402000000>;tag=k" + s + "\r\n"
                + "To: <sip:" + PLATFORM + "@3402000000>\r\n"
                + "Call-ID: bench-keepalive-" + s + "\r\n"
                + "CSeq: 20 MESSAGE\r\n"
                + "Content-Type: Application/MANSCDP+xml\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body);
    }
}
