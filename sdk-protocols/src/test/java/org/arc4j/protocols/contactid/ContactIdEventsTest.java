package org.arc4j.protocols.contactid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.arc4j.core.codes.CodeTable;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.event.Transport;
import org.junit.jupiter.api.Test;

class ContactIdEventsTest {
    private static final Instant T = Instant.parse("2026-11-24T06:00:00Z");
    private final ContactIdEvents events = ContactIdEvents.withTable(TestCodes.table());

    private static ContactIdMessage decode(String digits) {
        return ((ContactIdDecodeResult.Valid) ContactIdDecoder.INSTANCE.decodeDigits(digits)).message();
    }

    @Test
    void mapsADuressFromThePstn() {
        AlarmEvent e = events.toEvent(decode("1234181121010014"),
                ContactIdOrigin.pstn(new Ingress("contactid-pstn", "line1")), T);
        assertThat(e.protocol()).isEqualTo(Protocol.CONTACT_ID_PSTN);
        assertThat(e.transport()).isEqualTo(Transport.PSTN);
        assertThat(e.codeSystem()).isEqualTo(CodeSystem.CONTACT_ID);
        assertThat(e.code()).isEqualTo("121");
        assertThat(e.category()).isEqualTo(Category.EMERGENCY);
        assertThat(e.description()).isEqualTo("Duress");
        assertThat(e.qualifier()).isEqualTo(Qualifier.NEW_EVENT);
        assertThat(e.account()).isEqualTo("1234");
        assertThat(e.partition()).isEqualTo("01");
        assertThat(e.zone()).isEqualTo("001");
        assertThat(e.zoneNumber()).isEqualTo(1);
        assertThat(e.receivedAt()).isEqualTo(T);
        assertThat(new String(e.raw(), StandardCharsets.US_ASCII)).isEqualTo("1234181121010014");
        assertThat(e.id()).isNull();
        assertThat(e.extended()).isEmpty();
    }

    @Test
    void mapsARestoreFromASerialReceiverWithReceiverAndLine() {
        ContactIdOrigin origin = new ContactIdOrigin(Protocol.SERIAL_RECEIVER, Transport.PSTN,
                new Ingress("surgard", "/dev/ttyS0"), null, null, null).withReceiverLine("01", "1");
        AlarmEvent e = events.toEvent(decode("777718311000001C"), origin, T);
        assertThat(e.protocol()).isEqualTo(Protocol.SERIAL_RECEIVER);
        assertThat(e.receiver()).isEqualTo("01");
        assertThat(e.line()).isEqualTo("1");
        assertThat(e.qualifier()).isEqualTo(Qualifier.RESTORE);
        assertThat(e.category()).isEqualTo(Category.FIRE);
    }

    @Test
    void keepsUnknownCodesAndMarksMessageType98() {
        AlarmEvent e = events.toEvent(ContactIdMessage.of("1234", 98, Qualifier.PREVIOUSLY_REPORTED, "999", "00", "000"),
                ContactIdOrigin.pstn(new Ingress("contactid-pstn", "line1")), T);
        assertThat(e.code()).isEqualTo("999");
        assertThat(e.category()).isEqualTo(Category.UNKNOWN_CODE);
        assertThat(e.description()).isNull();
        assertThat(e.qualifier()).isEqualTo(Qualifier.PREVIOUSLY_REPORTED);
        assertThat(e.extended()).containsEntry("messageType", "98");
    }

    @Test
    void refusesATableOfAnotherSystemAndLoadsTheShippedOneOnlyWhenUsed() {
        CodeTable sia = CodeTable.load(CodeSystem.SIA, new java.io.ByteArrayInputStream(
                "code\tcategory\taddress\tkind\tpair\tdescription\n".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> ContactIdEvents.withTable(sia)).isInstanceOf(IllegalArgumentException.class);
        // the shipped table is loaded on first use; if it cannot be, events still flow with UNKNOWN_CODE
        ContactIdEvents shipped = ContactIdEvents.withShippedTable();
        AlarmEvent e = shipped.toEvent(decode("1234181121010014"),
                ContactIdOrigin.pstn(new Ingress("contactid-pstn", "line1")), T);
        assertThat(e.code()).isEqualTo("121");
        assertThat(e.category()).isIn(Category.EMERGENCY, Category.UNKNOWN_CODE);
    }
}
