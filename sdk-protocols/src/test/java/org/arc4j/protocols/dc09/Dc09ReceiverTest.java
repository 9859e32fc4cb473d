package org.arc4j.protocols.dc09;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.event.Transport;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.supervision.DeviceStatus;
import org.arc4j.core.event.EventIdGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The receiver over real loopback sockets, on virtual time: each row of the answer table in the package
 * documentation, over TCP and UDP alike, plus stream framing, idle timeout and keys.
 */
class Dc09ReceiverTest {
    private static final Instant NOW = ReceiverFixture.NOW;
    private static final String KEY = "2B7E151628AED2A6ABF7158809CF4F3C";
    private final Dc09Encoder encoder = new Dc09Encoder();
    private ReceiverFixture fx;

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    private static Dc09Decoder replyDecoder(Dc09Key key) {
        return Dc09Decoder.builder().keys(new Dc09KeyResolver() {
            @Override
            public Dc09Key keyFor(String r, String l, String a) {
                return key;
            }

            @Override
            public boolean weakKeyAccepted(String r, String l, String a) {
                return true;
            }
        }).build();
    }

    private static Dc09Frame reply(byte[] b) {
        return reply(b, null);
    }

    private static Dc09Frame reply(byte[] b, Dc09Key key) {
        assertThat(b).as("a reply").isNotNull();
        Dc09DecodeResult r = replyDecoder(key).decode(b, 0, b.length);
        assertThat(r).isInstanceOf(Dc09DecodeResult.Valid.class);
        return ((Dc09DecodeResult.Valid) r).frame();
    }

    private byte[] sia(String seq, String receiver, String account, String data, Instant ts) {
        return encoder.encode(Dc09Frame.of(Dc09Token.SIA_DCS, false, seq, receiver, "0", account, data, ts), null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void validReportIsAckedAfterTheReceiptEchoingTheHeaderExactly(String transport) {
        fx = new ReceiverFixture();
        RawClient c = fx.client(transport);
        c.send(encoder.encode(new Dc09Frame(Dc09Token.SIA_DCS, false, "0042", "0A1", "003", "0001234",
                "#0001234|Nri2/BA015^Hall^", List.of(new Dc09ExtendedData('X', "006E07.7777777")),
                NOW.minusSeconds(30)), null));
        Dc09Frame ack = reply(c.receive());
        assertThat(ack).isEqualTo(Dc09Frame.of(Dc09Token.ACK, false, "0042", "0A1", "003", "0001234", "", null));
        AlarmEvent e = fx.intake.events().get(0);
        assertThat(e.id()).isNotNull();
        assertThat(e.account()).isEqualTo("0001234");
        assertThat(e.receiver()).isEqualTo("0A1");
        assertThat(e.line()).isEqualTo("003");
        assertThat(e.codeSystem()).isEqualTo(CodeSystem.SIA);
        assertThat(e.code()).isEqualTo("BA");
        assertThat(e.category()).isEqualTo(Category.INTRUSION);
        assertThat(e.description()).isEqualTo("Burglary alarm");
        assertThat(e.partition()).isEqualTo("2");
        assertThat(e.zone()).isEqualTo("015");
        assertThat(e.extended()).containsEntry("X", "006E07.7777777").containsEntry("text", "Hall");
        assertThat(e.transport()).isEqualTo(Transport.IP);
        assertThat(e.ingress().adapter()).isEqualTo("dc09-" + transport);
        assertThat(e.ingress().endpoint()).isEqualTo("127.0.0.1:" + (transport.equals("tcp") ? fx.receiver.tcpPort() : fx.receiver.udpPort()));
        // clock skew: the panel is 30 s behind; the trigger lands on our time line at receipt
        assertThat(e.triggeredAt()).isEqualTo(NOW.minusSeconds(30));
        assertThat(e.clockSkew()).isEqualTo(Duration.ofSeconds(-30));
        assertThat(e.correctedTriggerTime()).isEqualTo(NOW);
        assertThat(fx.count("dc09.frames", "outcome", "ack", "reason", "accepted")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void absentReceiverStaysAbsentAndUnknownCodesAreKept(String transport) {
        fx = new ReceiverFixture(b -> b.transport(a -> "1234".equals(a) ? Transport.WIRELESS : Transport.IP));
        RawClient c = fx.client(transport);
        c.send(sia("0001", null, "1234", "#1234|NZZ01/CL002", NOW));
        Dc09Frame ack = reply(c.receive());
        assertThat(ack.token()).isEqualTo(Dc09Token.ACK);
        assertThat(ack.receiver()).isNull();
        AlarmEvent e = fx.intake.events().get(0);
        assertThat(e.code()).isEqualTo("ZZ");
        assertThat(e.transport()).as("from the account's configuration").isEqualTo(Transport.WIRELESS);
        assertThat(e.category()).isEqualTo(Category.UNKNOWN_CODE);
        AlarmEvent closing = fx.intake.events().get(1);
        assertThat(closing.code()).isEqualTo("CL");
        assertThat(closing.qualifier()).as("a closing (arming) is a restore").isEqualTo(Qualifier.RESTORE);
        assertThat(closing.zone()).isEqualTo("002");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void retransmissionIsAckedAgainWithoutASecondEvent(String transport) {
        fx = new ReceiverFixture();
        RawClient c = fx.client(transport);
        c.send(sia("0007", "1", "1234", "#1234|Nri1/BA001/ri1BR001", NOW));
        assertThat(reply(c.receive()).sequence()).isEqualTo("0007");
        // the retransmission carries a new timestamp (and, encrypted, a new pad): still the same message
        c.send(sia("0007", "1", "1234", "#1234|Nri1/BA001/ri1BR001", NOW.plusSeconds(5)));
        assertThat(reply(c.receive()).sequence()).isEqualTo("0007");
        assertThat(fx.intake.events()).hasSize(2); // the two events of the block, once
        assertThat(fx.intake.events()).extracting(AlarmEvent::code).containsExactly("BA", "BR");
        assertThat(fx.intake.events().get(1).qualifier()).isEqualTo(Qualifier.RESTORE);
        assertThat(fx.count("dc09.frames", "outcome", "ack", "reason", "duplicate")).isEqualTo(1);
    }

    @Test
    void retransmissionAfterAReceiverRestartIsRecognisedByItsKey() {
        InMemoryAlarmIntake intake = new InMemoryAlarmIntake(new org.arc4j.core.testkit.ManualClock(NOW));
        byte[] frame = sia("0031", "1", "1234", "#1234|NBA001", NOW);
        try (ReceiverFixture first = new ReceiverFixture(intake, b -> b)) {
            RawClient c = first.client("tcp");
            c.send(frame);
            assertThat(reply(c.receive()).token()).isEqualTo(Dc09Token.ACK);
        }
        fx = new ReceiverFixture(intake, b -> b); // a new receiver (new process) on the same durable intake
        RawClient c = fx.client("udp");
        c.send(sia("0031", "1", "1234", "#1234|NBA001", NOW.plusSeconds(3)));
        assertThat(reply(c.receive()).token()).isEqualTo(Dc09Token.ACK);
        assertThat(intake.events()).hasSize(1);
        assertThat(fx.count("dc09.frames", "outcome", "ack", "reason", "duplicate")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void timestampOutsideTheWindowGetsTheFixedNakWithTheReceiversTime(String transport) {
        fx = new ReceiverFixture();
        RawClient c = fx.client(transport);
        c.send(sia("0003", "1", "1234", "#1234|NBA001", NOW.minusSeconds(41)));
        byte[] nak = c.receive();
        assertThat(new String(nak, StandardCharsets.US_ASCII)).endsWith("\"NAK\"0000R0L0A0[]_08:00:00,11-24-2026\r");
        assertThat(reply(nak).timestamp()).isEqualTo(NOW);
        c.send(sia("0004", "1", "1234", "#1234|NBA001", NOW.plusSeconds(21)));
        assertThat(reply(c.receive()).token()).isEqualTo(Dc09Token.NAK);
        c.send(sia("0005", "1", "1234", "#1234|NBA001", NOW.plusSeconds(20)));
        assertThat(reply(c.receive()).token()).isEqualTo(Dc09Token.ACK);
        assertThat(fx.intake.events()).hasSize(1);
        assertThat(fx.count("dc09.frames", "outcome", "nak", "reason", "timestamp")).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void encryptedWithoutKeyOrWrongKeyIsNakedWithACommunicationEvent(String transport) {
        fx = new ReceiverFixture();
        RawClient c = fx.client(transport);
        Dc09Key key = Dc09Key.ofHex(KEY);
        c.send(encoder.encode(Dc09Frame.of(Dc09Token.SIA_DCS, true, "0010", null, "0", "5555", "#5555|NBA001", NOW),
                key));
        assertThat(reply(c.receive()).token()).isEqualTo(Dc09Token.NAK);
        AlarmEvent comm = fx.intake.events().get(0);
        assertThat(comm.codeSystem()).isEqualTo(CodeSystem.ARC4J);
        assertThat(comm.code()).isEqualTo("DC09_NO_KEY");
        assertThat(comm.category()).isEqualTo(Category.COMMUNICATION);
        assertThat(comm.account()).isEqualTo("5555");

        fx.keys.put(CredentialKey.of(CredentialKind.DC09_KEY, "5555"),
                Credential.of(Secret.ofHex("11112222333344445555666677778888")));
        c.send(encoder.encode(Dc09Frame.of(Dc09Token.SIA_DCS, true, "0011", null, "0", "5555", "#5555|NBA001", NOW),
                key));
        assertThat(reply(c.receive()).token()).isEqualTo(Dc09Token.NAK);
        fx.awaitEvents(2);
        assertThat(fx.intake.events().get(1).code()).isEqualTo("DC09_DECRYPT_FAILED");
        assertThat(fx.count("dc09.frames", "outcome", "nak", "reason", "no-key")).isEqualTo(1);
        assertThat(fx.count("dc09.frames", "outcome", "nak", "reason", "decrypt-failed")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void dataThatCannotBeUnderstoodGetsDuh(String transport) {
        fx = new ReceiverFixture();
        RawClient c = fx.client(transport);
        c.send(sia("0012", "7", "1234", "#1234|Qgarbage", NOW));
        Dc09Frame duh = reply(c.receive());
        assertThat(duh).isEqualTo(Dc09Frame.of(Dc09Token.DUH, false, "0012", "7", "0", "1234", "", null));
        assertThat(fx.intake.events()).isEmpty();
        assertThat(fx.count("dc09.frames", "outcome", "duh", "reason", "data")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void badCrcOrLengthGetsNoReplyUnlessConfiguredToNak(String transport) {
        fx = new ReceiverFixture();
        RawClient c = fx.client(transport);
        byte[] bad = sia("0013", "1", "1234", "#1234|NBA001", NOW);
        bad[1] = bad[1] == 'A' ? (byte) 'B' : (byte) 'A';
        c.send(bad);
        c.send(sia("0014", "1", "1234", "#1234|NBA001", NOW));
        // the first reply is the good frame's ACK: the bad one was not answered
        assertThat(reply(c.receive()).sequence()).isEqualTo("0014");
        assertThat(fx.count("dc09.frames", "outcome", "silent", "reason", "bad-crc")).isEqualTo(1);
    }

    @Test
    void badCrcCanBeConfiguredToNak() {
        fx = new ReceiverFixture(b -> b.nakOnBadFrame(true));
        RawClient c = fx.client("udp");
        byte[] bad = sia("0013", "1", "1234", "#1234|NBA001", NOW);
        bad[20] ^= 1;
        c.send(bad);
        assertThat(reply(c.receive()).token()).isEqualTo(Dc09Token.NAK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void noAckBeforeTheReceiptAndNoReplyWhenTheIntakeRefuses(String transport) {
        ManualSchedulerHolder h = new ManualSchedulerHolder();
        InMemoryAlarmIntake intake = new InMemoryAlarmIntake(h.clock, new EventIdGenerator(h.clock), 1,
                Duration.ofHours(1));
        fx = new ReceiverFixture(intake, b -> b);
        intake.hold();
        RawClient c = fx.client(transport);
        c.send(sia("0020", "1", "1234", "#1234|NBA001", NOW));
        assertThat(c.receive(Duration.ofMillis(300))).as("no ACK while the receipt is pending").isNull();
        c.send(sia("0021", "1", "1234", "#1234|NBA002", NOW)); // refused: one message in flight at most
        assertThat(c.receive(Duration.ofMillis(300))).isNull();
        intake.release();
        assertThat(reply(c.receive()).sequence()).isEqualTo("0020");
        assertThat(c.receive(Duration.ofMillis(300))).as("the refused message stays unanswered").isNull();
        assertThat(intake.events()).extracting(AlarmEvent::zone).containsExactly("001");
        assertThat(fx.count("dc09.frames", "outcome", "silent", "reason", "refused-backpressure")).isEqualTo(1);
        // the panel retries and now gets its ACK
        c.send(sia("0021", "1", "1234", "#1234|NBA002", NOW));
        assertThat(reply(c.receive()).sequence()).isEqualTo("0021");
    }

    @Test
    void backToBackFramesAreAnsweredInTheOrderReceivedWhateverOrderTheirReceiptsComplete() {
        fx = new ReceiverFixture();
        fx.intake.hold();
        RawClient c = fx.client("tcp");
        // one write: the alarm waits for its receipt, the NULL poll right behind it is decided at once
        byte[] alarm = sia("0031", "1", "1234", "#1234|NBA001", NOW);
        byte[] poll = encoder.encode(Dc09Frame.of(Dc09Token.NULL, false, "0032", "1", "0", "1234", "", NOW), null);
        byte[] both = new byte[alarm.length + poll.length];
        System.arraycopy(alarm, 0, both, 0, alarm.length);
        System.arraycopy(poll, 0, both, alarm.length, poll.length);
        c.send(both);
        assertThat(c.receive(Duration.ofMillis(300))).as("the poll's ACK waits behind the alarm's").isNull();
        fx.intake.release();
        assertThat(reply(c.receive()).sequence()).isEqualTo("0031");
        assertThat(reply(c.receive()).sequence()).isEqualTo("0032");
        // and the same with the frames in two separate writes
        fx.intake.hold();
        c.send(sia("0033", "1", "1234", "#1234|NBA002", NOW));
        c.send(encoder.encode(Dc09Frame.of(Dc09Token.NULL, false, "0034", "1", "0", "1234", "", NOW), null));
        assertThat(c.receive(Duration.ofMillis(300))).isNull();
        fx.intake.release();
        assertThat(reply(c.receive()).sequence()).isEqualTo("0033");
        assertThat(reply(c.receive()).sequence()).isEqualTo("0034");
    }

    @Test
    void aConnectionWithTooManyUnansweredFramesStopsReadingAndResumesWhenTheyAreAnswered() {
        fx = new ReceiverFixture();
        fx.intake.hold();
        RawClient c = fx.client("tcp");
        int n = 200;
        for (int i = 0; i < n; i++) {
            c.send(sia(String.format("%04d", i), "1", "1234", "#1234|NBA" + String.format("%03d", i % 1000), NOW));
        }
        assertThat(c.receive(Duration.ofMillis(300))).isNull();
        fx.intake.release();
        for (int i = 0; i < n; i++) {
            assertThat(reply(c.receive()).sequence()).isEqualTo(String.format("%04d", i));
        }
        assertThat(fx.count("dc09.connections", "event", "read-paused")).isPositive();
    }

    /** A clock at the fixture's start for an intake built before the fixture. */
    private static final class ManualSchedulerHolder {
        final java.time.Clock clock = new org.arc4j.core.testkit.ManualClock(NOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void nullPollIsAckedAndIsACheckInWithTheAccountsExpectation(String transport) {
        fx = new ReceiverFixture(b -> b.pollExpectation(a -> a.equals("1234") ? Duration.ofMinutes(3) : null));
        RawClient c = fx.client(transport);
        c.send(encoder.encode(Dc09Frame.of(Dc09Token.NULL, false, "0000", "1", "0", "1234", "", NOW), null));
        assertThat(reply(c.receive()).token()).isEqualTo(Dc09Token.ACK);
        DeviceStatus s = fx.supervisor.status(Dc09Receiver.deviceKey("1", "0", "1234")).orElseThrow();
        assertThat(s.lastCheckIn()).isEqualTo(NOW);
        assertThat(s.maxSilence()).isEqualTo(Duration.ofMinutes(3));
        assertThat(fx.intake.events()).isEmpty();
        assertThat(fx.count("dc09.frames", "outcome", "ack", "reason", "link-test")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void encryptedReportsGetEncryptedAcksAndContactIdIsRead(String transport) {
        fx = new ReceiverFixture();
        fx.keys.put(CredentialKey.of(CredentialKind.DC09_KEY, "5678"), Credential.of(Secret.ofHex(KEY)));
        Dc09Key key = Dc09Key.ofHex(KEY);
        RawClient c = fx.client(transport);
        c.send(encoder.encode(Dc09Frame.of(Dc09Token.ADM_CID, true, "0002", null, "0", "5678", "#5678|1130 01 003",
                NOW), key));
        byte[] ack = c.receive();
        assertThat(new String(ack, StandardCharsets.US_ASCII)).contains("\"*ACK\"0002L0#5678[");
        Dc09Frame f = reply(ack, key);
        assertThat(f.token()).isEqualTo(Dc09Token.ACK);
        assertThat(f.encrypted()).isTrue();
        assertThat(f.timestamp()).isEqualTo(NOW);
        AlarmEvent e = fx.intake.events().get(0);
        assertThat(e.codeSystem()).isEqualTo(CodeSystem.CONTACT_ID);
        assertThat(e.code()).isEqualTo("130");
        assertThat(e.category()).isEqualTo(Category.INTRUSION);
        assertThat(e.qualifier()).isEqualTo(Qualifier.NEW_EVENT);
        assertThat(e.partition()).isEqualTo("01");
        assertThat(e.zone()).isEqualTo("003");
        assertThat(e.extended()).containsEntry("encrypted", "true");
        assertThat(new String(e.raw(), StandardCharsets.US_ASCII)).doesNotContain(KEY);
    }

    @Test
    void textKeysAreUsedByteForByteWhenTheAccountSaysSo() {
        fx = new ReceiverFixture();
        fx.keys.put(CredentialKey.of(CredentialKind.DC09_KEY, "7A1C"), new Credential(null,
                Secret.ofUtf8("ArcKey-Text-2026"), Map.of(Credential.OPTION_KEY_FORMAT, "text")));
        // the vector of generated_encrypted.tsv, sent as is; its timestamp is 2026-11-20, outside our window
        Vectors.Vector v = Vectors.load("generated_encrypted.tsv").get(4);
        RawClient c = fx.client("udp");
        c.send(v.message());
        Dc09Frame nak = reply(c.receive(), Dc09Key.ofText("ArcKey-Text-2026"));
        assertThat(nak.token()).isEqualTo(Dc09Token.NAK);
        assertThat(nak.encrypted()).as("decrypted fine, so the NAK is encrypted").isTrue();
        assertThat(fx.count("dc09.frames", "outcome", "nak", "reason", "timestamp")).isEqualTo(1);
    }

    @Test
    void weakKeysNeedTheAuditedOverride() {
        fx = new ReceiverFixture();
        String weak = "000102030405060708090A0B0C0D0E0F";
        fx.keys.put(CredentialKey.of(CredentialKind.DC09_KEY, "1234"), Credential.of(Secret.ofHex(weak)));
        RawClient c = fx.client("udp");
        Dc09Key key = Dc09Key.ofHex(weak);
        c.send(encoder.encode(Dc09Frame.of(Dc09Token.SIA_DCS, true, "0001", "1", "0", "1234", "#1234|NBA001", NOW), key));
        assertThat(reply(c.receive()).token()).isEqualTo(Dc09Token.NAK);
        assertThat(fx.intake.events().get(0).code()).isEqualTo("DC09_WEAK_KEY");
        fx.keys.put(CredentialKey.of(CredentialKind.DC09_KEY, "1234"), new Credential(null, Secret.ofHex(weak),
                Map.of(Credential.OPTION_WEAK_KEY_ACCEPTED, "true")));
        c.send(encoder.encode(Dc09Frame.of(Dc09Token.SIA_DCS, true, "0002", "1", "0", "1234", "#1234|NBA001", NOW), key));
        assertThat(reply(c.receive(), key).token()).isEqualTo(Dc09Token.ACK);
        assertThat(fx.count("dc09.keys", "outcome", "weak-accepted", "scope", "1234")).isEqualTo(1);
    }

    @Test
    void lineScopedKeysServeEveryAccountOfTheLine() {
        fx = new ReceiverFixture();
        fx.keys.put(CredentialKey.of(CredentialKind.DC09_KEY, "L3F"), Credential.of(Secret.ofHex(KEY)));
        Dc09Key key = Dc09Key.ofHex(KEY);
        RawClient c = fx.client("tcp");
        c.send(encoder.encode(Dc09Frame.of(Dc09Token.SIA_DCS, true, "0001", null, "3F", "9999", "#9999|NBA001", NOW),
                key));
        assertThat(reply(c.receive(), key).token()).isEqualTo(Dc09Token.ACK);
    }

    @Test
    void keyChangeIsRefusedUnlessAllowedAndNeverKeptOnEventsOrTraces() {
        fx = new ReceiverFixture();
        fx.keys.put(CredentialKey.of(CredentialKind.DC09_KEY, "1111"), Credential.of(Secret.ofHex(KEY)));
        RawClient c = fx.client("udp");
        String newKey = "00112233445566778899AABBCCDDEEF0";
        Dc09Frame change = new Dc09Frame(Dc09Token.SIA_DCS, false, "0001", null, "0", "1111", "|Nri1/RP000",
                List.of(new Dc09ExtendedData('K', newKey)), NOW);
        c.send(encoder.encode(change, null));
        assertThat(reply(c.receive()).token()).isEqualTo(Dc09Token.DUH);
        assertThat(fx.keys.find(CredentialKey.of(CredentialKind.DC09_KEY, "1111")).orElseThrow().secret())
                .isEqualTo(Secret.ofHex(KEY));
        assertThat(fx.intake.events()).as("the test event it carried is kept").extracting(AlarmEvent::code)
                .containsExactly("RP");
        fx.keys.put(CredentialKey.of(CredentialKind.DC09_KEY, "1111"), new Credential(null, Secret.ofHex(KEY),
                Map.of(Credential.OPTION_KEY_CHANGE_ALLOWED, "true")));
        c.send(encoder.encode(change, null));
        assertThat(reply(c.receive()).token()).isEqualTo(Dc09Token.ACK);
        assertThat(fx.keys.find(CredentialKey.of(CredentialKind.DC09_KEY, "1111")).orElseThrow().secret())
                .isEqualTo(Secret.ofHex(newKey));
        assertThat(fx.intake.events().get(0).extended()).doesNotContainKey("K");
        synchronized (fx.trace) {
            assertThat(fx.trace).isNotEmpty().noneMatch(t -> t.contains(newKey));
            assertThat(fx.trace).anyMatch(t -> t.contains("[K<redacted>]"));
        }
    }

    @Test
    void sendersAreAnsweredInTheirOwnCrcStyleAndVariantsAreCountedPerAccount() {
        fx = new ReceiverFixture();
        RawClient c = fx.client("tcp");
        for (Dc09CrcStyle style : Dc09CrcStyle.values()) {
            Dc09Frame f = Dc09Frame.of(Dc09Token.SIA_DCS, false, "000" + style.ordinal(), null, "0", "4242",
                    "#4242|NBA001", NOW);
            c.send(encoder.encode(f, style, null));
            byte[] r = c.receive();
            Dc09DecodeResult d = Dc09Decoder.builder().build().decode(r, 0, r.length);
            assertThat(d).isInstanceOfSatisfying(Dc09DecodeResult.Valid.class, v -> {
                assertThat(v.crcStyle()).isEqualTo(style);
                assertThat(v.frame().token()).isEqualTo(Dc09Token.ACK);
            });
        }
        assertThat(fx.receiver.variantCounts().get("4242")).containsEntry(Dc09Variant.RAW_CRC_BYTES, 1L)
                .containsEntry(Dc09Variant.CRC_INCLUDES_CR, 1L);
        assertThat(fx.count("dc09.variants", "account", "4242", "variant", "RAW_CRC_BYTES")).isEqualTo(1);
    }

    @Test
    void tcpFramingHandlesCoalescedSplitAndGarbageBytes() throws Exception {
        fx = new ReceiverFixture();
        RawClient.Tcp c = (RawClient.Tcp) fx.client("tcp");
        byte[] a = sia("0101", "1", "1234", "#1234|NBA001", NOW);
        byte[] b = sia("0102", "1", "1234", "#1234|NBA002", NOW);
        byte[] d = sia("0103", "1", "1234", "#1234|NBA003", NOW);
        byte[] garbage = "\r\nnoise\n0000 not a frame\r\n\n".getBytes(StandardCharsets.US_ASCII);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        all.write(a);
        all.write(garbage);
        all.write(b);
        all.write(d, 0, 10);
        c.send(all.toByteArray());
        for (int i = 10; i < d.length; i++) {
            c.send(new byte[] {d[i]}); // the rest one byte at a time
        }
        assertThat(List.of(reply(c.receive()).sequence(), reply(c.receive()).sequence(), reply(c.receive()).sequence()))
                .containsExactlyInAnyOrder("0101", "0102", "0103");
        assertThat(fx.count("dc09.garbage.bytes")).isGreaterThanOrEqualTo(garbage.length - 1);
    }

    @Test
    void tcpFramingFollowsTheLengthFieldAndToleratesWrongLengths() {
        fx = new ReceiverFixture();
        RawClient c = fx.client("tcp");
        // every pysiaalarm vector whose CRC is right but whose length is not (too long or too short)
        int sent = 0;
        for (Vectors.Vector v : Vectors.load("pysiaalarm.tsv")) {
            if (v.get("crc_ok").equals("True") && v.get("len_ok").equals("False") && !v.get("type").startsWith("*")) {
                c.send(Vectors.framed(v.message()));
                Dc09Frame r = reply(c.receive());
                assertThat(r.token()).as(v.toString()).isIn(Dc09Token.ACK, Dc09Token.NAK);
                sent++;
            }
        }
        assertThat(sent).isGreaterThanOrEqualTo(5);
        assertThat(fx.receiver.variantCounts().values().stream().mapToLong(m ->
                m.getOrDefault(Dc09Variant.LENGTH_MISMATCH, 0L) + m.getOrDefault(Dc09Variant.DECIMAL_LENGTH, 0L))
                .sum()).isEqualTo(sent);
        // a CR inside the content of a frame with a right length: the length field, not the CR, ends it,
        // so the frame is answered (DUH: content not printable) instead of being cut and lost
        byte[] stray = Dc09CodecTest.frame("\"SIA-DCS\"0001L0#1234[#1234|NBA001^a\rb^]");
        c.send(stray);
        assertThat(reply(c.receive()).token()).isEqualTo(Dc09Token.DUH);
    }

    @Test
    void badFramesOnOneConnectionWhileAnotherKeepsGettingAcks() {
        fx = new ReceiverFixture();
        fx.keys.put(CredentialKey.of(CredentialKind.DC09_KEY, "1234"), Credential.of(Secret.ofHex(KEY)));
        RawClient bad = fx.client("tcp");
        RawClient good = fx.client("tcp");
        Dc09Key wrong = Dc09Key.ofHex("99999999999999999999999999999998");
        byte[] oversized = ("\nFFFF0FFF\"SIA-DCS\"0001L0#1234[" + "N".repeat(2000) + "]\r")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] truncated = java.util.Arrays.copyOf(sia("0002", null, "1234", "#1234|NBA001", NOW), 20);
        byte[] wrongCrc = sia("0003", null, "1234", "#1234|NBA001", NOW);
        wrongCrc[2] ^= 1;
        for (int i = 0; i < 20; i++) {
            bad.send("garbage garbage \r\n".getBytes(StandardCharsets.US_ASCII));
            bad.send(truncated);
            bad.send(oversized);
            bad.send(wrongCrc);
            bad.send(encoder.encode(Dc09Frame.of(Dc09Token.SIA_DCS, true, "0004", null, "0", "1234", "#1234|NBA001",
                    NOW), wrong));
            good.send(sia(String.format("%04d", 100 + i), null, "1234", "#1234|NBA" + i, NOW));
            assertThat(reply(good.receive()).sequence()).isEqualTo(String.format("%04d", 100 + i));
        }
        assertThat(fx.intake.events().stream().filter(e -> e.codeSystem() == CodeSystem.SIA)).hasSize(20);
        // the only replies on the bad connection are NAKs for the wrong key
        byte[] r;
        int naks = 0;
        while ((r = bad.receive(Duration.ofSeconds(2))) != null) {
            assertThat(reply(r).token()).isEqualTo(Dc09Token.NAK);
            naks++;
        }
        assertThat(naks).isEqualTo(20);
    }

    @Test
    void idleConnectionsAreClosedOnTheSchedulersTime() {
        fx = new ReceiverFixture(b -> b.idleTimeout(Duration.ofSeconds(60)));
        RawClient.Tcp c = (RawClient.Tcp) fx.client("tcp");
        c.send(sia("0001", null, "1234", "#1234|NBA001", NOW));
        assertThat(reply(c.receive()).token()).isEqualTo(Dc09Token.ACK);
        assertThat(c.closedByPeer(Duration.ofMillis(200))).isFalse();
        fx.scheduler.advance(Duration.ofSeconds(61));
        assertThat(c.closedByPeer(Duration.ofSeconds(10))).isTrue();
        assertThat(fx.count("dc09.connections", "event", "idle-closed")).isEqualTo(1);
    }

    @Test
    void aPortInUseFailsTheStartAndReleasesEverything() {
        fx = new ReceiverFixture();
        Dc09Receiver second = Dc09Receiver.builder(fx.intake, fx.keys, fx.supervisor, fx.scheduler)
                .tcp(fx.tcp()).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(second::start)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot bind");
        second.close();
        // the first receiver is unaffected
        RawClient c = fx.client("tcp");
        c.send(sia("0001", null, "1234", "#1234|NBA001", NOW));
        assertThat(reply(c.receive()).token()).isEqualTo(Dc09Token.ACK);
    }

    @Test
    void eventTimeComesFromHWhenPresent() {
        fx = new ReceiverFixture();
        RawClient c = fx.client("udp");
        c.send(encoder.encode(new Dc09Frame(Dc09Token.SIA_DCS, false, "0001", null, "0", "1234", "#1234|NBA001",
                List.of(new Dc09ExtendedData('H', "07:59:00,11-24-2026")), NOW.plusSeconds(10)), null));
        assertThat(reply(c.receive()).token()).isEqualTo(Dc09Token.ACK);
        AlarmEvent e = fx.intake.events().get(0);
        assertThat(e.triggeredAt()).isEqualTo(Instant.parse("2026-11-24T07:59:00Z"));
        assertThat(e.clockSkew()).isEqualTo(Duration.ofSeconds(10));
        assertThat(e.correctedTriggerTime()).isEqualTo(Instant.parse("2026-11-24T07:58:50Z"));
    }

    @Test
    void strictReceiverRefusesVariantsWithDuh() {
        fx = new ReceiverFixture(b -> b.strict(true));
        RawClient c = fx.client("udp");
        c.send(ReceiverFixtureFrames.frame("\"SIA-DCS\"0001L#1234[#1234|NBA001]"));
        assertThat(reply(c.receive()).token()).isEqualTo(Dc09Token.DUH);
        assertThat(fx.count("dc09.frames", "outcome", "duh", "reason", "variant-refused")).isEqualTo(1);
    }

    /** Frames content independently of the encoder. */
    static final class ReceiverFixtureFrames {
        static byte[] frame(String content) {
            return Dc09CodecTest.frame(content);
        }
    }
}
