package org.arc4j.protocols.serial;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.arc4j.core.codes.CodeTable;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.event.Transport;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.supervision.DeviceKey;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.testsupport.Events;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.protocols.contactid.ContactIdEvents;
import org.arc4j.protocols.contactid.ContactIdOrigin;
import org.arc4j.protocols.contactid.TestCodes;
import org.junit.jupiter.api.Test;

/** The receiver input and the Sur-Gard output over an in-memory link, on virtual time. */
class ReceiverInputOutputTest {
    static final byte[] ACK = {0x06};
    static final byte[] NAK = {0x15};
    private final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-11-24T06:00:00Z"));
    private final InMemoryAlarmIntake intake = new InMemoryAlarmIntake(scheduler.clock());
    private final InMemorySupervisor supervisor = new InMemorySupervisor(scheduler);

    static CodeTable siaTable() {
        String tsv = "code\tcategory\taddress\tkind\tpair\tdescription\n"
                + "BA\tINTRUSION\tZONE\tALARM\tBR\tBurglary alarm\n"
                + "BR\tINTRUSION\tZONE\tRESTORE\tBA\tBurglary restore\n";
        return CodeTable.load(CodeSystem.SIA, new ByteArrayInputStream(tsv.getBytes(StandardCharsets.UTF_8)));
    }

    static ReceiverInput input(ByteLink link, InMemoryAlarmIntake intake, InMemorySupervisor supervisor,
                               java.time.Clock clock) {
        ContactIdOrigin origin = new ContactIdOrigin(Protocol.SERIAL_RECEIVER, Transport.PSTN,
                new Ingress("surgard", link.endpoint()), null, null, null);
        CodeTable sia = siaTable();
        return new ReceiverInput(link, intake, supervisor, clock, origin, ContactIdEvents.withTable(TestCodes.table()),
                () -> sia);
    }

    private static byte[] rec(String s) {
        return (s + "\u0014").getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void acknowledgesOnlyAfterTheReceiptAndNaksGarbage() throws Exception {
        PipeLink[] p = PipeLink.pair();
        ReceiverInput in = input(p[1], intake, supervisor, scheduler.clock());
        in.start();
        p[0].start(b -> {
        });
        intake.hold();
        p[1].inject(rec("5011 181234E12101001"));
        assertThat(p[1].written()).isEmpty();
        intake.release();
        assertThat(p[1].written()).containsExactly(ACK);
        AlarmEvent e = intake.events().get(0);
        assertThat(e.protocol()).isEqualTo(Protocol.SERIAL_RECEIVER);
        assertThat(e.code()).isEqualTo("121");
        assertThat(e.category()).isEqualTo(Category.EMERGENCY);
        assertThat(e.receiver()).isEqualTo("01");
        assertThat(e.line()).isEqualTo("1");
        assertThat(e.account()).isEqualTo("1234");
        assertThat(e.partition()).isEqualTo("01");
        assertThat(e.zone()).isEqualTo("001");
        assertThat(new String(e.raw(), StandardCharsets.ISO_8859_1)).isEqualTo("5011 181234E12101001\u0014");

        p[1].inject("garbage\u0014".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(p[1].written()).containsExactly(ACK, NAK);
        assertThat(in.rejected()).isEqualTo(1);

        p[1].inject(rec("3012    123456BR0007"));
        AlarmEvent sia = intake.events().get(1);
        assertThat(sia.codeSystem()).isEqualTo(CodeSystem.SIA);
        assertThat(sia.qualifier()).isEqualTo(Qualifier.RESTORE);
        assertThat(sia.account()).isEqualTo("123456");
        assertThat(sia.zone()).isEqualTo("0007");
        p[1].inject("\n11 7777 18 E110 00 C001\r".getBytes(StandardCharsets.US_ASCII));
        assertThat(intake.events().get(2).category()).isEqualTo(Category.FIRE);
        assertThat(p[1].written()).containsExactly(ACK, NAK, ACK, ACK);
    }

    @Test
    void aRepeatedRecordBeforeTheAckIsStoredOnceAndALaterOneIsNew() throws Exception {
        PipeLink[] p = PipeLink.pair();
        ReceiverInput in = input(p[1], intake, supervisor, scheduler.clock());
        in.start();
        intake.hold();
        p[1].inject(rec("5011 181234E13001003"));
        p[1].inject(rec("5011 181234E13001003"));
        intake.release();
        assertThat(intake.events()).hasSize(1);
        assertThat(flat(p[1].written())).containsExactly(0x06, 0x06);
        p[1].inject(rec("5011 181234E13001003"));
        assertThat(intake.events()).hasSize(2);
    }

    @Test
    void answersGoBackInTheOrderTheRecordsCameWhateverOrderTheReceiptsComplete() throws Exception {
        PipeLink[] p = PipeLink.pair();
        ReceiverInput in = input(p[1], intake, supervisor, scheduler.clock());
        in.start();
        intake.hold();
        // an alarm waiting for its receipt, then a heartbeat and garbage that are decided at once
        p[1].inject(rec("5011 181234E13001003"));
        p[1].inject(rec("1011           @    "));
        p[1].inject("garbage\u0014".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(p[1].written()).as("nothing overtakes the alarm's ACK").isEmpty();
        intake.release();
        assertThat(flat(p[1].written())).containsExactly(0x06, 0x06, 0x15);
        assertThat(in.acknowledged()).isEqualTo(2);
    }

    @Test
    void aRefusedRecordTakesItsTurnSilently() throws Exception {
        PipeLink[] p = PipeLink.pair();
        InMemoryAlarmIntake one = new InMemoryAlarmIntake(scheduler.clock(),
                new org.arc4j.core.event.EventIdGenerator(scheduler.clock()), 1, Duration.ofHours(1));
        ReceiverInput in = input(p[1], one, supervisor, scheduler.clock());
        in.start();
        one.hold();
        p[1].inject(rec("5011 181234E13001003"));
        p[1].inject(rec("5011 181234E13001004")); // refused: one message in flight at most
        p[1].inject(rec("1011           @    "));
        assertThat(p[1].written()).isEmpty();
        one.release();
        assertThat(flat(p[1].written())).containsExactly(0x06, 0x06);
        assertThat(one.events()).hasSize(1);
    }

    private static List<Integer> flat(List<byte[]> chunks) {
        List<Integer> out = new java.util.ArrayList<>();
        for (byte[] c : chunks) {
            for (byte b : c) {
                out.add(b & 0xFF);
            }
        }
        return out;
    }

    @Test
    void heartbeatsAreCheckIns() throws Exception {
        PipeLink[] p = PipeLink.pair();
        input(p[1], intake, supervisor, scheduler.clock()).start();
        p[1].inject(rec("1011           @    "));
        assertThat(p[1].written()).containsExactly(ACK);
        assertThat(intake.events()).isEmpty();
        assertThat(supervisor.status(DeviceKey.of("receiver", "pipe-b/01/1"))).get()
                .extracting(s -> s.lastCheckIn()).isEqualTo(scheduler.now());
    }

    @Test
    void outputResendsOnNakAndSilenceThenBuffersWhileDown() throws Exception {
        PipeLink[] p = PipeLink.pair();
        ReceiverOutput out = new ReceiverOutput(p[0], scheduler, ReceiverOutput.Settings.surGard());
        out.start();
        AlarmEvent burglary = Events.burglary("1234", "5", scheduler.now());
        List<String> far = new java.util.ArrayList<>();
        p[1].start(b -> far.add(new String(b, StandardCharsets.ISO_8859_1)));
        assertThat(out.publish(burglary)).isTrue();
        String siaRecord = "3011      1234BA0005\u0014";
        assertThat(far).containsExactly(siaRecord);
        // NAK: sent again at once
        p[0].inject(NAK);
        assertThat(far).containsExactly(siaRecord, siaRecord);
        // silence: again after 4 s, twice more, then the link is down
        scheduler.advance(Duration.ofMillis(3999));
        assertThat(far).hasSize(2);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(far).hasSize(3);
        scheduler.advance(Duration.ofSeconds(4));
        assertThat(far).hasSize(4);
        assertThat(out.resends()).isEqualTo(3);
        scheduler.advance(Duration.ofSeconds(4));
        assertThat(out.isUp()).isFalse();
        assertThat(far).hasSize(4);
        // buffered while down
        out.publish(Events.burglary("1234", "6", scheduler.now()));
        assertThat(out.pending()).isEqualTo(2);
        assertThat(far).hasSize(4);
        // heartbeats probe the link; the first acknowledged one brings it back and the buffer drains in order
        scheduler.advance(Duration.ofSeconds(30 - 12));
        assertThat(far.get(far.size() - 1)).isEqualTo("1011           @    \u0014");
        p[0].inject(ACK);
        assertThat(out.isUp()).isTrue();
        assertThat(far.get(far.size() - 1)).isEqualTo(siaRecord);
        p[0].inject(ACK);
        assertThat(far.get(far.size() - 1)).isEqualTo("3011      1234BA0006\u0014");
        p[0].inject(ACK);
        assertThat(out.pending()).isZero();
        assertThat(out.acknowledged()).isEqualTo(2);
    }

    @Test
    void aReplacedLinkTakesOverEveryUnacknowledgedRecordInOrder() throws Exception {
        PipeLink[] lost = PipeLink.pair();
        ReceiverOutput old = new ReceiverOutput(lost[0], scheduler, ReceiverOutput.Settings.surGard());
        old.start();
        List<String> gone = new java.util.ArrayList<>();
        lost[1].start(b -> gone.add(new String(b, StandardCharsets.ISO_8859_1)));
        assertThat(old.publish(Events.burglary("1234", "5", scheduler.now()))).isTrue();
        assertThat(old.publish(Events.burglary("1234", "6", scheduler.now()))).isTrue();
        // the first went out but its ACK never came: the far end went away
        assertThat(gone).containsExactly("3011      1234BA0005\u0014");

        PipeLink[] fresh = PipeLink.pair();
        ReceiverOutput next = new ReceiverOutput(fresh[0], scheduler, ReceiverOutput.Settings.surGard());
        next.start();
        List<String> far = new java.util.ArrayList<>();
        fresh[1].start(b -> far.add(new String(b, StandardCharsets.ISO_8859_1)));
        assertThat(old.handOver(next)).isZero();
        assertThat(old.pending()).isZero();
        assertThat(old.publish(Events.burglary("1234", "7", scheduler.now()))).as("closed").isFalse();

        assertThat(far).containsExactly("3011      1234BA0005\u0014");
        fresh[0].inject(ACK);
        assertThat(far).containsExactly("3011      1234BA0005\u0014", "3011      1234BA0006\u0014");
        fresh[0].inject(ACK);
        assertThat(next.acknowledged()).isEqualTo(2);
        assertThat(next.pending()).isZero();
    }

    @Test
    void everyEventTheIntakeAcceptsGoesOutOnceEvenWhenRetransmitted() throws Exception {
        PipeLink[] p = PipeLink.pair();
        ReceiverOutput out = new ReceiverOutput(p[0], scheduler, ReceiverOutput.Settings.surGard());
        out.start();
        List<String> far = new java.util.ArrayList<>();
        p[1].start(b -> far.add(new String(b, StandardCharsets.ISO_8859_1)));
        intake.addListener(out::accepted);
        org.arc4j.core.intake.IdempotencyKey key = org.arc4j.core.intake.IdempotencyKey.of("dc09", "1");
        intake.accept(List.of(Events.burglary("77", "3", scheduler.now())), key);
        intake.accept(List.of(Events.burglary("77", "3", scheduler.now())), key);
        assertThat(far).containsExactly("3011        77BA0003\u0014");
    }

    @Test
    void defaultRecordsForEveryCodeSystem() {
        Instant t = scheduler.now();
        AlarmEvent cid = AlarmEvent.builder().account("1234").protocol(Protocol.CONTACT_ID_PSTN)
                .ingress(new Ingress("x", "y")).code(CodeSystem.CONTACT_ID, "401").qualifier(Qualifier.RESTORE)
                .partition("02").zone("015").receivedAt(t).build();
        assertThat(ReceiverOutput.defaultRecord(cid, "01", "1")).get().isEqualTo(new ReceiverRecord.SurGardContactId(
                "01", "1", "1234", Qualifier.RESTORE, "401", "02", "015"));
        AlarmEvent gb = AlarmEvent.builder().account("34020000001320000001").protocol(Protocol.GB28181)
                .ingress(new Ingress("gb", "sip")).code(CodeSystem.GB28181, "5/6").category(Category.INTRUSION)
                .receivedAt(t).build();
        assertThat(ReceiverOutput.defaultRecord(gb, "01", "1")).get().isEqualTo(new ReceiverRecord.SurGardContactId(
                "01", "1", "0001", Qualifier.NEW_EVENT, "130", "00", "000"));
        assertThat(List.of(ReceiverOutput.defaultRecord(cid, "01", "1").get().encode()).stream()
                .map(b -> new String(b, StandardCharsets.ISO_8859_1)).collect(Collectors.toList()))
                .containsExactly("5011 181234R40102015\u0014");
    }
}
