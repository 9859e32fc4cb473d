package org.arc4j.benchmarks.gb28181;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.security.digest.DigestChallenge;
import org.arc4j.core.security.digest.DigestClient;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.gb28181.media.MediaFailure;
import org.arc4j.gb28181.media.MediaListener;
import org.arc4j.gb28181.media.MediaRequest;
import org.arc4j.gb28181.media.MediaSession;
import org.arc4j.gb28181.media.MediaTransport;
import org.arc4j.gb28181.platform.GbPlatform;
import org.arc4j.gb28181.platform.GbPlatformConfig;
import org.arc4j.gb28181.sip.ServerTransaction;
import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipPeer;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipResponse;
import org.arc4j.gb28181.sip.SipStack;
import org.arc4j.gb28181.sip.SipTransport;
import org.arc4j.media.ps.PsMuxer;
import org.arc4j.media.ps.PsRtpPacketizer;
import org.arc4j.media.ps.PsStreamType;
import org.arc4j.media.rtp.RtpPacket;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.VideoCodec;

/**
 * Concurrent GB/T 28181 live sessions end to end in one JVM over loopback: an NVR with {@code SESSIONS} channels
 * (a SIP UA on the module's own stack) registers with digest, the platform INVITEs every channel, and for each
 * answered session sender threads send PS over RTP/UDP at {@code MBITS} Mbit/s (25 pictures/s, a key picture every
 * 25, each picture muxed by {@link PsMuxer} and cut into 1400-byte RTP packets). The platform reorders,
 * demultiplexes and hands every access unit to a counting listener. Prints the set-up time, pictures and packets
 * sent against received, the process CPU (sender and receiver together: an upper bound on the platform's), and
 * the heap.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.arc4j.benchmarks.gb28181.MediaSessionsHarness [SESSIONS] [MBITS] [SECONDS]</pre>
 */
public final class MediaSessionsHarness {
    static final String PLATFORM = "34020000002000000001";
    static final String NVR = "34020000001180000001";
    static final String PASSWORD = "12345678";
    static final int FPS = 25;
    private static final Pattern PORT = Pattern.compile("m=video (\\d+) ");
    private static final Pattern SSRC = Pattern.compile("y=(\\d{10})");

    private MediaSessionsHarness() {
    }

    /** One channel's stream as the NVR sends it. */
    private record Stream(InetSocketAddress to, PsRtpPacketizer packetizer) {
    }

    /**
     * @param args sessions (default 200), Mbit/s per session (default 2), seconds (default 30)
     */
    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        double mbits = args.length > 1 ? Double.parseDouble(args[1]) : 2.0;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int pictureBytes = (int) (mbits * 1_000_000 / 8 / FPS);
        List<byte[]> gop = gop(pictureBytes);

        try (SystemScheduler scheduler = new SystemScheduler()) {
            InMemoryAlarmIntake intake = new InMemoryAlarmIntake(scheduler.clock());
            GbPlatform platform = GbPlatform.start(GbPlatformConfig.builder(PLATFORM).bindHost("127.0.0.1")
                            .udpPort(0).tcpPort(-1).queryCatalogOnRegister(false).defaultPassword(PASSWORD).build(),
                    scheduler, intake, new InMemorySupervisor(scheduler), new InMemoryCredentialStore(),
                    new SimpleMetrics());
            Map<Integer, Stream> streams = new ConcurrentHashMap<>();
            SipStack nvr = SipStack.builder().bindHost("127.0.0.1").udpPort(0).tcpPort(-1).scheduler(scheduler)
                    .handler(tx -> answer(tx, streams)).start();
            SipPeer platformPeer = new SipPeer(SipTransport.UDP, platform.stack().udpAddress());
            register(nvr, platformPeer);

            AtomicLong pictures = new AtomicLong();
            AtomicLong damaged = new AtomicLong();
            AtomicLong failures = new AtomicLong();
            MediaListener counter = new MediaListener() {
                @Override
                public void onVideo(MediaSession s, PsStreamType type, AccessUnit unit) {
                    pictures.incrementAndGet();
                    if (!unit.isIntact()) {
                        damaged.incrementAndGet();
                    }
                }

                @Override
                public void onClosed(MediaSession s, MediaFailure failure) {
                    if (failure != null) {
                        failures.incrementAndGet();
                        System.out.println("session failed: " + failure);
                    }
                }
            };
            long t0 = System.nanoTime();
            List<CompletableFuture<MediaSession>> invites = new ArrayList<>();
            for (int i = 1; i <= sessions; i++) {
                invites.add(platform.invite(MediaRequest.live(NVR, channel(i)).withTransport(MediaTransport.UDP)
                        .withMediaTimeout(Duration.ofSeconds(30)), counter));
            }
            List<MediaSession> live = new ArrayList<>();
            for (CompletableFuture<MediaSession> f : invites) {
                live.add(f.get(60, TimeUnit.SECONDS));
            }
            double setupMs = (System.nanoTime() - t0) / 1e6;

            long cpu0 = cpuNanos();
            long wall0 = System.nanoTime();
            long[] sent = send(new ArrayList<>(streams.values()), gop, seconds);
            long sending = System.nanoTime() - wall0;
            Thread.sleep(500); // the last packets in flight
            long wall = System.nanoTime() - wall0;
            long cpu = cpuNanos() - cpu0;
            long received = live.stream().mapToLong(MediaSession::packets).sum();
            for (MediaSession s : live) {
                s.close();
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf("%d sessions x %.1f Mbit/s for %d s (%d-byte pictures, %d fps)%n", sessions, mbits,
                    seconds, pictureBytes, FPS);
            System.out.printf("set-up: %d INVITE/200/ACK in %.0f ms%n", sessions, setupMs);
            System.out.printf("sent: %d pictures, %d RTP packets in %.1f s, %.1f Mbit/s in all (the senders fall behind"
                            + " when the machine is short of CPU)%n", sent[0], sent[1], sending / 1e9,
                    sent[2] * 8 / (sending / 1e9) / 1e6);
            System.out.printf("received: %d pictures (%.3f %% of sent, %d damaged), %d packets (%.3f %%),"
                            + " %d sessions failed%n", pictures.get(), 100.0 * pictures.get() / sent[0],
                    damaged.get(), received, 100.0 * received / sent[1], failures.get());
            System.out.printf("process CPU (senders + platform): %.2f cores; heap in use %d MiB; %d cores%n",
                    cpu / (double) wall, heap >> 20, Runtime.getRuntime().availableProcessors());
            nvr.close();
            platform.close();
            intake.close();
        }
    }

    private static String channel(int i) {
        return String.format("3402000000131%07d", i);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The NVR answers each INVITE with its SDP and remembers where the platform wants the channel's RTP. */
    private static void answer(ServerTransaction tx, Map<Integer, Stream> streams) {
        SipRequest r = tx.request();
        switch (r.method()) {
            case SipRequest.INVITE -> {
                String offer = r.bodyText(StandardCharsets.US_ASCII);
                Matcher port = PORT.matcher(offer);
                Matcher ssrc = SSRC.matcher(offer);
                if (!port.find() || !ssrc.find()) {
                    tx.respond(SipResponse.replyTo(r, 488, "Not Acceptable Here", "nvr"));
                    return;
                }
                int ch = Integer.parseInt(r.to().sipUri().user().substring(13));
                streams.put(ch, new Stream(new InetSocketAddress("127.0.0.1", Integer.parseInt(port.group(1))),
                        new PsRtpPacketizer(Long.parseLong(ssrc.group(1)), ch, 1400)));
                String sdp = "v=0\r\no=" + NVR + " 0 0 IN IP4 127.0.0.1\r\ns=Play\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                        + "m=video 9 RTP/AVP 96\r\na=sendonly\r\na=rtpmap:96 PS/90000\r\ny=" + ssrc.group(1) + "\r\n";
                SipHeaders h = SipResponse.replyHeaders(r, 200, "OK", "nvr" + ch)
                        .add("Contact", "<sip:" + NVR + "@127.0.0.1>").add("Content-Type", "application/sdp").build();
                tx.respond(SipResponse.of(200, "OK", h, sdp.getBytes(StandardCharsets.US_ASCII)));
            }
            default -> tx.respond(SipResponse.replyTo(r, 200, "OK", "nvr"));
        }
    }

    private static void register(SipStack nvr, SipPeer platform) throws Exception {
        String uri = "sip:" + PLATFORM + "@3402000000";
        DigestClient digest = new DigestClient(NVR);
        for (int attempt = 1; attempt <= 2; attempt++) {
            SipHeaders.Builder h = SipHeaders.builder()
                    .add("From", "<sip:" + NVR + "@3402000000>;tag=reg")
                    .add("To", "<sip:" + NVR + "@3402000000>")
                    .add("Call-ID", "harness-register")
                    .add("CSeq", attempt + " REGISTER")
                    .add("Contact", "<sip:" + NVR + "@127.0.0.1:" + nvr.udpAddress().getPort() + ">")
                    .add("Expires", "3600");
            if (digest.hasChallenge()) {
                h.add("Authorization", digest.answer("REGISTER", uri, PASSWORD.getBytes(StandardCharsets.UTF_8))
                        .toHeaderValue());
            }
            SipResponse resp = nvr.send(SipRequest.of(SipRequest.REGISTER, uri, h.build(), null), platform)
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            if (resp.status() == 200) {
                return;
            }
            if (resp.status() != 401) {
                throw new IllegalStateException("REGISTER: " + resp);
            }
            digest.challenged(DigestChallenge.parse(resp.header("WWW-Authenticate")));
        }
        throw new IllegalStateException("REGISTER not accepted");
    }

    /** One GOP of PS packs: a key picture then 24 others, each one NAL unit of the given size. */
    private static List<byte[]> gop(int pictureBytes) {
        Random random = new Random(28181);
        PsMuxer muxer = new PsMuxer(PsStreamType.H264, null);
        List<byte[]> packs = new ArrayList<>();
        for (int i = 0; i < FPS; i++) {
            byte[] nal = new byte[pictureBytes];
            for (int k = 1; k < nal.length; k++) {
                nal[k] = (byte) (1 + random.nextInt(255)); // no start code emulation
            }
            nal[0] = (byte) (i == 0 ? 0x65 : 0x41); // IDR or non-IDR slice
            packs.add(muxer.video(new AccessUnit(VideoCodec.H264, i * 3600L, List.of(nal), true)));
        }
        return packs;
    }

    /**
     * Sends every stream's pictures at 25 per second for the duration, on two threads.
     *
     * @return pictures, packets and bytes sent
     */
    private static long[] send(List<Stream> streams, List<byte[]> gop, int seconds) throws Exception {
        int threads = 2;
        AtomicLong pictures = new AtomicLong();
        AtomicLong packets = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Stream> mine = new ArrayList<>();
            for (int i = t; i < streams.size(); i += threads) {
                mine.add(streams.get(i));
            }
            Thread th = new Thread(() -> {
                try (DatagramChannel ch = DatagramChannel.open()) {
                    long start = System.nanoTime();
                    long frames = (long) seconds * FPS;
                    for (long f = 0; f < frames; f++) {
                        long due = start + f * 1_000_000_000L / FPS;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        byte[] pack = gop.get((int) (f % FPS));
                        for (Stream s : mine) {
                            for (RtpPacket p : s.packetizer().packetize(pack, f * 3600)) {
                                byte[] b = p.encode();
                                ch.send(ByteBuffer.wrap(b), s.to());
                                packets.incrementAndGet();
                                bytes.addAndGet(b.length);
                            }
                            pictures.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "nvr-sender-" + t);
            senders.add(th);
            th.start();
        }
        for (Thread th : senders) {
            th.join();
        }
        return new long[] {pictures.get(), packets.get(), bytes.get()};
    }
}
