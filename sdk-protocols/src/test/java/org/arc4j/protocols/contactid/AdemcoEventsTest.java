package org.arc4j.protocols.contactid;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.event.Qualifier;
import org.junit.jupiter.api.Test;

class AdemcoEventsTest {
    static final Instant T = Instant.parse("2026-11-24T08:00:00Z");
    static final ContactIdOrigin LINE = ContactIdOrigin.pstn(new Ingress("contactid-pstn", "line-1"));

    @Test
    void anExpressCodeIsKeptAndUrgentUntilAnOperatorLooks() {
        AlarmEvent e = AdemcoEvents.INSTANCE.toEvents(
                AdemcoExpressMessage.of(AdemcoExpressMessage.Format.FOUR_PLUS_TWO, "1234", "89"), LINE, T).get(0);
        assertThat(e.account()).isEqualTo("1234");
        assertThat(e.codeSystem()).isEqualTo(CodeSystem.ADEMCO_LEGACY);
        assertThat(e.code()).isEqualTo("89");
        assertThat(e.category()).isEqualTo(Category.UNKNOWN_CODE);
        assertThat(e.protocol()).isEqualTo(LINE.protocol());
        assertThat(e.receivedAt()).isEqualTo(T);
        assertThat(new String(e.raw())).startsWith("12342789");
    }

    @Test
    void highSpeedChannelsBecomeOneEventEachByTheirState() {
        // status 7 (alarm): channel 2 new alarm, channel 5 restore, channel 7 previously reported, others normal
        List<AlarmEvent> events = AdemcoEvents.INSTANCE.toEvents(
                AdemcoHighSpeedMessage.withChecksum("4321", "51553565", '7'), LINE, T);
        assertThat(events).extracting(AlarmEvent::zone).containsExactly("2", "5", "7");
        assertThat(events).extracting(AlarmEvent::qualifier)
                .containsExactly(Qualifier.NEW_EVENT, Qualifier.RESTORE, Qualifier.PREVIOUSLY_REPORTED);
        assertThat(events).extracting(AlarmEvent::code).containsExactly("7/2", "7/5", "7/7");
        assertThat(events).allSatisfy(e -> assertThat(e.category()).isEqualTo(Category.UNKNOWN_CODE));

        AlarmEvent duress = AdemcoEvents.INSTANCE.toEvents(
                AdemcoHighSpeedMessage.withChecksum("4321", "15555555", '1'), LINE, T).get(0);
        assertThat(duress.category()).isEqualTo(Category.EMERGENCY);
        assertThat(AdemcoEvents.INSTANCE.toEvents(AdemcoHighSpeedMessage.withChecksum("4321", "55555555", '7'), LINE, T))
                .isEmpty();
    }

    @Test
    void highSpeedOpeningsAndClosingsCarryTheUserInChannelOne() {
        AlarmEvent open = AdemcoEvents.INSTANCE.toEvents(
                AdemcoHighSpeedMessage.withChecksum("4321", "35555555", '2'), LINE, T).get(0);
        assertThat(open.category()).isEqualTo(Category.OPEN_CLOSE);
        assertThat(open.qualifier()).isEqualTo(Qualifier.NEW_EVENT);
        assertThat(open.zone()).isEqualTo("3");
        List<AlarmEvent> close = AdemcoEvents.INSTANCE.toEvents(
                AdemcoHighSpeedMessage.withChecksum("4321", "45555555", '4'), LINE, T);
        assertThat(close).singleElement().satisfies(e -> {
            assertThat(e.qualifier()).isEqualTo(Qualifier.RESTORE);
            assertThat(e.zone()).isEqualTo("4");
        });
        assertThat(Protocol.valueOf(open.protocol().name())).isNotNull();
    }
}
