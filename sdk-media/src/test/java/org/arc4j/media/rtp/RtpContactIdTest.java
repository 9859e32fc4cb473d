package org.arc4j.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.core.codes.CodeTable;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.ManualClock;
import org.arc4j.protocols.audio.G711;
import org.arc4j.protocols.contactid.ContactIdCallReport;
import org.arc4j.protocols.contactid.ContactIdEvents;
import org.arc4j.protocols.contactid.ContactIdLine;
import org.arc4j.protocols.contactid.ContactIdMessage;
import org.arc4j.protocols.contactid.ContactIdOrigin;
import org.arc4j.protocols.contactid.ContactIdReceiverSession;
import org.arc4j.protocols.contactid.ContactIdTransmitterSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** A Contact ID call carried over G.711 RTP, in both directions, and DTMF as RFC 4733 telephone-events. */
class RtpContactIdTest {
    private static final List<ContactIdMessage> MESSAGES = List.of(
            ContactIdMessage.of("1234", Qualifier.NEW_EVENT, "130", "01", "003"),
            ContactIdMessage.of("1234", Qualifier.RESTORE, "130", "01", "003"),
            ContactIdMessage.of("5678", Qualifier.NEW_EVENT, "602", "00", "000"));

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-24T06:00:00Z"));
    private final InMemoryAlarmIntake intake = new InMemoryAlarmIntake(clock);
    private final List<ContactIdCallReport> reports = new ArrayList<>();

    private static CodeTable codes() {
        String tsv = "code\tcategory\taddress\tsia\tdescription\n130\tINTRUSION\tZONE\tBA\tBurglary\n"
                + "602\tTEST\tNONE\tRP\tPeriodic test\n";
        try (InputStream in = new java.io.ByteArrayInputStream(tsv.getBytes(StandardCharsets.UTF_8))) {
            return CodeTable.load(CodeSystem.CONTACT_ID, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ContactIdLine line() {
        return new ContactIdLine(ContactIdReceiverSession.Settings.dc05(), intake, ContactIdEvents.withTable(codes()),
                ContactIdOrigin.pstn(new Ingress("contactid-rtp", "gateway:5004")), "call-7", clock, reports::add);
    }

    private List<String> stored() {
        List<String> out = new ArrayList<>();
        intake.events().forEach(e -> out.add(new String(e.raw(), StandardCharsets.US_ASCII)));
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 8})
    void aCallOverG711Rtp(int payloadType) {
        G711.Law law = payloadType == 0 ? G711.Law.ULAW : G711.Law.ALAW;
        ContactIdTransmitterSession panel = new ContactIdTransmitterSession(
                ContactIdTransmitterSession.Settings.typical(), MESSAGES);
        ContactIdLine line = line();
        G711RtpSender panelSends = new G711RtpSender(payloadType, -1, 0x1111, 40000, 0xFFFF0000L);
        G711RtpSender centreSends = new G711RtpSender(payloadType, -1, 0x2222, 7, 123);
        List<short[]> toPanel = new ArrayList<>();
        G711RtpReceiver panelHears = new G711RtpReceiver(-1, (pt, c, t) -> {
            short[] s = new short[c.length];
            G711.INSTANCE.decode(law, c, 0, s, 0, c.length);
            toPanel.add(s);
        });
        G711RtpReceiver centreHears = new G711RtpReceiver(-1, (pt, c, t) -> {
            byte[] back = line.feed(pt == 0 ? G711.Law.ULAW : G711.Law.ALAW, c, t);
            centreSends.audio(back).forEach(p -> panelHears.receive(p, 0, p.length));
        });
        short[] heard = new short[160];
        for (int block = 0; block < 50 * 60 && !(panel.isFinished() && line.session().isEnded()); block++) {
            short[] said = panel.feed(heard);
            byte[] codes = new byte[said.length];
            G711.INSTANCE.encode(law, said, 0, codes, 0, said.length);
            for (byte[] p : panelSends.audio(codes)) {
                centreHears.receive(p, 0, p.length);
                if (block % 97 == 0) {
                    // a duplicated packet is dropped, not played twice
                    centreHears.receive(p, 0, p.length);
                }
            }
            heard = toPanel.isEmpty() ? new short[160] : toPanel.remove(0);
            clock.set(clock.instant().plusMillis(20));
        }
        assertThat(panel.state()).isEqualTo(ContactIdTransmitterSession.State.DONE);
        assertThat(stored()).containsExactly(MESSAGES.stream().map(ContactIdMessage::digits).toArray(String[]::new));
        assertThat(centreHears.dropped()).isGreaterThan(0);
        assertThat(reports.get(0).ending()).isEqualTo(ContactIdCallReport.Ending.COMPLETED);
    }

    @Test
    void digitsAsTelephoneEvents() {
        ContactIdLine line = line();
        G711RtpSender gateway = new G711RtpSender(0, 101, 0x3333, 1, 0);
        G711RtpReceiver centre = new G711RtpReceiver(101, new G711RtpReceiver.Sink() {
            @Override
            public void audio(int pt, byte[] codes, long t) {
                line.feed(G711.Law.ULAW, codes, t);
            }

            @Override
            public void telephoneEvent(char key, long start, long end) {
                line.session().telephoneEvent(key, start, end);
            }
        });
        byte[] silence = new byte[160];
        java.util.Arrays.fill(silence, (byte) 0xFF);
        // 1.8 s: answer delay, handshake, the panel's pause
        for (int i = 0; i < 90; i++) {
            gateway.audio(silence).forEach(p -> centre.receive(p, 0, p.length));
        }
        ContactIdMessage m = MESSAGES.get(0);
        for (char key : m.dtmf().toCharArray()) {
            gateway.event(key, 3, 10).forEach(p -> centre.receive(p, 0, p.length));
            for (int i = 0; i < 2; i++) {
                gateway.audio(silence).forEach(p -> centre.receive(p, 0, p.length));
            }
        }
        for (int i = 0; i < 250 && !line.session().isEnded(); i++) {
            gateway.audio(silence).forEach(p -> centre.receive(p, 0, p.length));
        }
        assertThat(stored()).containsExactly(m.digits());
        assertThat(reports.get(0).messages()).hasSize(1);
    }

    @Test
    void aCallOverUdpOnLoopback() throws Exception {
        ContactIdLine line = line();
        G711RtpSender centreSends = new G711RtpSender(8, -1, 0x4444, 1, 1);
        try (RtpUdpEndpoint centre = RtpUdpEndpoint.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                null);
             RtpUdpEndpoint panelSide = RtpUdpEndpoint.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                0), centre.localAddress())) {
            G711RtpReceiver centreHears = new G711RtpReceiver(-1, (pt, c, t) -> {
                for (byte[] p : centreSends.audio(line.feed(G711.Law.ALAW, c, t))) {
                    try {
                        centre.send(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
            centre.start(d -> centreHears.receive(d, 0, d.length));
            BlockingQueue<short[]> back = new LinkedBlockingQueue<>();
            G711RtpReceiver panelHears = new G711RtpReceiver(-1, (pt, c, t) -> {
                short[] s = new short[c.length];
                G711.INSTANCE.decode(G711.Law.ALAW, c, 0, s, 0, c.length);
                back.add(s);
            });
            panelSide.start(d -> panelHears.receive(d, 0, d.length));
            ContactIdTransmitterSession panel = new ContactIdTransmitterSession(
                    ContactIdTransmitterSession.Settings.typical(), MESSAGES.subList(0, 1));
            G711RtpSender panelSends = new G711RtpSender(8, -1, 0x5555, 1, 1);
            short[] heard = new short[160];
            for (int block = 0; block < 50 * 30 && !panel.isFinished(); block++) {
                short[] said = panel.feed(heard);
                byte[] codes = new byte[said.length];
                G711.INSTANCE.encode(G711.Law.ALAW, said, 0, codes, 0, codes.length);
                for (byte[] p : panelSends.audio(codes)) {
                    panelSide.send(p);
                }
                // lock step: the centre answers every 20 ms packet with one; wait for it, with a bound
                heard = back.poll(5, TimeUnit.SECONDS);
                assertThat(heard).as("reply to block " + block).isNotNull();
                clock.set(clock.instant().plusMillis(20));
            }
            assertThat(panel.state()).isEqualTo(ContactIdTransmitterSession.State.DONE);
            assertThat(stored()).containsExactly(MESSAGES.get(0).digits());
        }
    }
}
