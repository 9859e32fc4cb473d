package org.arc4j.gb28181.media.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** SSRCs per GB/T 28181-2016 Annex F. */
class SsrcAllocatorTest {
    @Test
    void liveAndHistoryFlagThenDomainDigitsThenSequence() {
        SsrcAllocator a = new SsrcAllocator("3402000000");
        assertThat(a.allocate(false)).isEqualTo("0200000001");
        assertThat(a.allocate(true)).isEqualTo("1200000002");
        SsrcAllocator b = new SsrcAllocator("44010512002000000001");
        assertThat(b.allocate(false)).isEqualTo("0105120001"); // digits 4-8 of the ID
    }

    @Test
    void sequencesWrapAndSkipThoseInUse() {
        SsrcAllocator a = new SsrcAllocator("3402000000");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 9999; i++) {
            assertThat(seen.add(a.allocate(false))).isTrue();
        }
        assertThat(a.inUse()).isEqualTo(9999);
        assertThatThrownBy(() -> a.allocate(false)).isInstanceOf(IllegalStateException.class);
        a.release("0200000042");
        assertThat(a.allocate(false)).isEqualTo("0200000042");
        a.release("0200000007");
        a.release("0200000008");
        assertThat(a.allocate(true)).as("history SSRCs are their own space").isEqualTo("1200000043");
        assertThat(a.allocate(false)).isEqualTo("0200000007");
    }

    @Test
    void aDomainMustBeDigits() {
        assertThatThrownBy(() -> new SsrcAllocator("34ab000000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SsrcAllocator("3402")).isInstanceOf(IllegalArgumentException.class);
    }
}
