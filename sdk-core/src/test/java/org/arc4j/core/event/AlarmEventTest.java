package org.arc4j.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AlarmEventTest {
    private static final Instant T = Instant.parse("2026-12-05T09:00:00.123Z");

    private static AlarmEvent full() {
        return AlarmEvent.builder().account("1234").receiver("R1").line("L2").protocol(Protocol.DC09_SIA_DCS)
                .transport(Transport.IP).ingress(new Ingress("dc09-tcp", "127.0.0.1:9000")).link("link-b")
                .code(CodeSystem.SIA, "BA").qualifier(Qualifier.NEW_EVENT).category(Category.INTRUSION)
                .description("burglary").partition("01").zone("003").triggeredAt(T.minusSeconds(2))
                .clockSkew(Duration.ofMillis(-40)).receivedAt(T).extended("flag", "unknown account")
                .extended("variant", "standard").drill(true).raw("#1234|NBA003".getBytes(StandardCharsets.US_ASCII))
                .build();
    }

    @Test
    void withIdEqualsTheCopyMadeThroughTheBuilderAndLeavesTheOriginalAlone() {
        AlarmEvent e = full();
        EventId id = new EventIdGenerator(Clock.fixed(T, ZoneOffset.UTC), new Random(7)).next();
        AlarmEvent withId = e.withId(id);
        AlarmEvent viaBuilder = e.toBuilder().id(id).build();
        assertThat(withId).isEqualTo(viaBuilder).hasSameHashCodeAs(viaBuilder);
        assertThat(withId.id()).isEqualTo(id);
        assertThat(e.id()).isNull();
        assertThat(withId.extended()).containsEntry("flag", "unknown account").containsEntry("variant", "standard");
        assertThat(withId.raw()).isEqualTo(e.raw());
        assertThat(withId.correctedTriggerTime()).isEqualTo(e.correctedTriggerTime());
        assertThat(withId.drill()).isTrue();
        // the raw bytes handed out are still a copy: changing them changes neither event
        withId.raw()[0] = 'X';
        assertThat(new String(e.raw(), StandardCharsets.US_ASCII)).isEqualTo("#1234|NBA003");
        assertThat(new String(withId.raw(), StandardCharsets.US_ASCII)).isEqualTo("#1234|NBA003");
    }

    @Test
    void aBuilderChangedAfterBuildLeavesTheBuiltEventsExtendedDataAlone() {
        AlarmEvent.Builder b = full().toBuilder();
        AlarmEvent first = b.build();
        b.extended("flag", "changed").extended("more", "x");
        AlarmEvent second = b.build();
        b.extended("third", "y");
        assertThat(first.extended()).containsOnlyKeys("flag", "variant").containsEntry("flag", "unknown account");
        assertThat(second.extended()).containsOnlyKeys("flag", "variant", "more").containsEntry("flag", "changed");
        assertThat(b.build().extended()).containsOnlyKeys("flag", "variant", "more", "third");
        assertThat(AlarmEvent.builder().protocol(Protocol.DC09_SIA_DCS).ingress(new Ingress("t", "x"))
                .code(CodeSystem.SIA, "BA").receivedAt(T).build().extended()).isEmpty();
        assertThatThrownBy(() -> first.extended().put("x", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
