package org.arc4j.gb28181.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.gb28181.manscdp.ManscdpCharset;
import org.arc4j.gb28181.platform.GbDevice;
import org.arc4j.gb28181.platform.GbEdition;
import org.arc4j.gb28181.platform.GbPlatform;
import org.arc4j.gb28181.platform.GbPlatformConfig;
import org.arc4j.gb28181.sip.SipEncoder;
import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipInterceptor;
import org.arc4j.gb28181.sip.SipMessage;
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
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.arc4j.core.testkit.Await;

/**
 * The security hook proven by a test implementation with SM4 from BouncyCastle (not a claim of GB 35114
 * conformance): SIP bodies are encrypted with SM4-CTR and every message is signed with HMAC-SM3 on the wire; RTP
 * payloads are SM4-CTR encrypted by the sending device. The platform, given the interceptors, sets up a live
 * session with such a device and receives its video unit for unit; a tampered message is dropped.
 */
class Sm4InterceptorTest {
    static final String PLATFORM = "34020000002000000001";
    static final String DEVICE = "34020000001320000001";
    static final String CHANNEL = "34020000001310000001";
    static final String MARK = "X-Test-Sm4";
    static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-03-01T02:00:00Z"));
    final InMemoryAlarmIntake intake = new InMemoryAlarmIntake(scheduler.clock());
    final SimpleMetrics metrics = new SimpleMetrics();
    GbPlatform platform;
    SipStack device;

    @AfterEach
    void stop() {
        if (device != null) {
            device.close();
        }
        if (platform != null) {
            platform.close();
        }
        intake.close();
    }

    /** SM4-CTR over the body (a fresh IV before the ciphertext) and HMAC-SM3 over the whole message text. */
    static final class Sm4Sip implements SipInterceptor {
        private final Random random = new Random(35114);

        @Override
        public SipMessage outbound(SipMessage m, SipPeer to) {
            byte[] iv = new byte[16];
            synchronized (random) {
                random.nextBytes(iv);
            }
            byte[] body = m.body();
            byte[] sealed = new byte[16 + body.length];
            System.arraycopy(iv, 0, sealed, 0, 16);
            System.arraycopy(ctr(iv, body), 0, sealed, 16, body.length);
            SipMessage enc = with(m, m.headers().toBuilder().set(MARK, "").build(), sealed);
            String mac = hex(hmac(SipEncoder.INSTANCE.encode(enc)));
            return with(enc, enc.headers().toBuilder().set(MARK, mac).build(), sealed);
        }

        @Override
        public SipMessage inbound(SipMessage m, SipPeer from) {
            String mac = m.header(MARK);
            if (mac == null || m.bodyLength() < 16) {
                return null;
            }
            SipMessage unsigned = with(m, m.headers().toBuilder().set(MARK, "").build(), m.body());
            if (!mac.equals(hex(hmac(SipEncoder.INSTANCE.encode(unsigned))))) {
                return null;
            }
            byte[] sealed = m.body();
            byte[] plain = ctr(Arrays.copyOf(sealed, 16), Arrays.copyOfRange(sealed, 16, sealed.length));
            return with(m, m.headers().toBuilder().remove(MARK).build(), plain);
        }
    }

    static SipMessage with(SipMessage m, SipHeaders h, byte[] body) {
        return m instanceof SipRequest r ? SipRequest.of(r.method(), r.uri(), h, body)
                : SipResponse.of(((SipResponse) m).status(), ((SipResponse) m).reason(), h, body);
    }

    static byte[] ctr(byte[] iv, byte[] data) {
        org.bouncycastle.crypto.modes.CTRModeCipher c = SICBlockCipher.newInstance(new SM4Engine());
        c.init(true, new ParametersWithIV(new KeyParameter(KEY), iv));
        byte[] out = new byte[data.length];
        c.processBytes(data, 0, data.length, out, 0);
        return out;
    }

    static byte[] hmac(byte[] data) {
        HMac mac = new HMac(new SM3Digest());
        mac.init(new KeyParameter(KEY));
        mac.update(data, 0, data.length);
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return out;
    }

    static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    /** RTP payloads under SM4-CTR with an IV from the SSRC and sequence number. */
    static byte[] rtpCrypt(RtpPacket p, byte[] payload) {
        byte[] iv = new byte[16];
        long s = p.ssrc();
        for (int i = 0; i < 4; i++) {
            iv[i] = (byte) (s >>> (24 - 8 * i));
        }
        iv[4] = (byte) (p.sequence() >>> 8);
        iv[5] = (byte) p.sequence();
        return ctr(iv, payload);
    }

    @Test
    void signedEncryptedSignallingAndEncryptedMediaCarryALiveSession() throws Exception {
        platform = GbPlatform.start(GbPlatformConfig.builder(PLATFORM).bindHost("127.0.0.1").udpPort(0).tcpPort(-1)
                        .queryCatalogOnRegister(false).build(), scheduler, intake, new InMemorySupervisor(scheduler),
                new InMemoryCredentialStore(), metrics);
        platform.securityInterceptors(new Sm4Sip(), (session, packet) -> rtpCrypt(packet, packet.payload()));

        List<String> offers = new CopyOnWriteArrayList<>();
        List<InetSocketAddress> mediaTo = new CopyOnWriteArrayList<>();
        device = SipStack.builder().bindHost("127.0.0.1").udpPort(0).tcpPort(-1).scheduler(scheduler)
                .handler(tx -> {
                    SipRequest r = tx.request();
                    if (!r.method().equals(SipRequest.INVITE)) {
                        tx.respond(SipResponse.replyTo(r, 200, "OK", "dev"));
                        return;
                    }
                    String offer = r.bodyText(StandardCharsets.US_ASCII); // decrypted by the device's interceptor
                    offers.add(offer);
                    int port = Integer.parseInt(offer.replaceAll("(?s).*m=video (\\d+) .*", "$1"));
                    mediaTo.add(new InetSocketAddress("127.0.0.1", port));
                    String y = offer.replaceAll("(?s).*y=(\\d{10}).*", "$1");
                    String sdp = "v=0\r\no=" + DEVICE + " 0 0 IN IP4 127.0.0.1\r\ns=Play\r\nc=IN IP4 127.0.0.1\r\n"
                            + "t=0 0\r\nm=video 9 RTP/AVP 96\r\na=sendonly\r\ny=" + y + "\r\n";
                    tx.respond(SipResponse.of(200, "OK", SipResponse.replyHeaders(r, 200, "OK", "dev")
                            .add("Contact", "<sip:" + DEVICE + "@127.0.0.1>").add("Content-Type", "application/sdp")
                            .build(), sdp.getBytes(StandardCharsets.US_ASCII)));
                }).start();
        device.interceptor(new Sm4Sip());
        Instant now = scheduler.now();
        platform.registry().update(DEVICE, d -> new GbDevice(DEVICE, true, true, now, now.plusSeconds(3600), now,
                new SipPeer(SipTransport.UDP, device.udpAddress()), null, ManscdpCharset.GB2312, GbEdition.GB2016,
                ZoneId.of("Asia/Shanghai"), "sm4 device", Map.of()));

        // on the wire the body is ciphertext and the message carries its MAC
        try (DatagramSocket tap = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            tap.setSoTimeout(5_000);
            byte[] keepalive = "<?xml version=\"1.0\"?><Notify><CmdType>Keepalive</CmdType><SN>1</SN><DeviceID>"
                    .concat(DEVICE).concat("</DeviceID><Status>OK</Status></Notify>").getBytes(StandardCharsets.US_ASCII);
            device.send(SipRequest.of(SipRequest.MESSAGE, "sip:" + PLATFORM + "@127.0.0.1", SipHeaders.builder()
                    .add("From", "<sip:" + DEVICE + "@3402000000>;tag=k").add("To", "<sip:" + PLATFORM + "@3402000000>")
                    .add("Call-ID", "sm4-wire").add("CSeq", "1 MESSAGE").add("Content-Type", "Application/MANSCDP+xml")
                    .build(), keepalive), new SipPeer(SipTransport.UDP, (InetSocketAddress) tap.getLocalSocketAddress()));
            DatagramPacket d = new DatagramPacket(new byte[4096], 4096);
            tap.receive(d);
            String wire = new String(d.getData(), 0, d.getLength(), StandardCharsets.ISO_8859_1);
            assertThat(wire).contains(MARK + ": ").doesNotContain("Keepalive");

            // the same bytes with one flipped bit in the ciphertext: the platform drops them unanswered
            byte[] tampered = Arrays.copyOf(d.getData(), d.getLength());
            tampered[tampered.length - 3] ^= 1;
            tap.send(new DatagramPacket(tampered, tampered.length, platform.stack().udpAddress()));
            tap.setSoTimeout(1_000);
            DatagramPacket answer = new DatagramPacket(new byte[4096], 4096);
            boolean answered = true;
            try {
                tap.receive(answer);
            } catch (SocketTimeoutException e) {
                answered = false;
            }
            assertThat(answered).isFalse();
            assertThat(metrics.counter("sip.intercepted_drops").count()).isEqualTo(1);
        }

        List<AccessUnit> received = new CopyOnWriteArrayList<>();
        MediaSession s = platform.invite(MediaRequest.live(DEVICE, CHANNEL).withTransport(MediaTransport.UDP),
                new MediaListener() {
                    @Override
                    public void onVideo(MediaSession session, PsStreamType type, AccessUnit unit) {
                        received.add(unit);
                    }

                    @Override
                    public void onClosed(MediaSession session, MediaFailure failure) {
                    }
                }).get(10, TimeUnit.SECONDS);
        assertThat(offers).hasSize(1);
        assertThat(offers.get(0)).contains("s=Play", "y=" + s.offeredSsrc());
        assertThat(s.answeredSsrc()).isEqualTo(s.offeredSsrc());

        // the device sends 10 pictures, each payload SM4-encrypted
        Random random = new Random(1);
        PsMuxer muxer = new PsMuxer(PsStreamType.H264, null);
        PsRtpPacketizer packetizer = new PsRtpPacketizer(Long.parseLong(s.offeredSsrc()), 7, 1400);
        List<AccessUnit> sent = new ArrayList<>();
        long packets = 0;
        try (DatagramSocket out = new DatagramSocket()) {
            for (int i = 0; i < 10; i++) {
                byte[] nal = new byte[3000];
                for (int k = 1; k < nal.length; k++) {
                    nal[k] = (byte) (1 + random.nextInt(255));
                }
                nal[0] = (byte) (i == 0 ? 0x65 : 0x41);
                AccessUnit au = new AccessUnit(VideoCodec.H264, i * 3600L, List.of(nal), true);
                sent.add(au);
                for (RtpPacket p : packetizer.packetize(muxer.video(au), au.timestamp())) {
                    RtpPacket enc = new RtpPacket(p.marker(), p.payloadType(), p.sequence(), p.timestamp(), p.ssrc(),
                            0, rtpCrypt(p, p.payload()));
                    byte[] b = enc.encode();
                    out.send(new DatagramPacket(b, b.length, mediaTo.get(0)));
                    packets++;
                }
            }
        }
        long all = packets;
        Await.until(Duration.ofSeconds(10), () -> s.packets() >= all, () -> all + " packets, got " + s.packets());
        s.close();
        assertThat(received).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(received.get(i).nalUnit(0)).isEqualTo(sent.get(i).nalUnit(0));
        }
    }
}
