package org.arc4j.core.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class RealPeersTest {
    @Test
    void aMissingPeerFailsUnderCiAndIsSkippedElsewhere() {
        RealPeers.require(true, "anything"); // present: nothing happens
        if (RealPeers.inCi()) {
            assertThatThrownBy(() -> RealPeers.require(false, "no-such-peer")).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("no-such-peer").hasMessageContaining("CI=true");
        } else {
            assertThatThrownBy(() -> RealPeers.require(false, "no-such-peer"))
                    .isInstanceOf(TestAbortedException.class).hasMessageContaining("no-such-peer");
        }
    }

    @Test
    void findsProgramsOnThePath() {
        assertThat(RealPeers.onPath("sh")).isTrue();
        assertThat(RealPeers.onPath("arc4j-no-such-program")).isFalse();
    }
}
