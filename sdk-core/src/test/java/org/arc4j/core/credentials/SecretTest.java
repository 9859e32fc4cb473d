package org.arc4j.core.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretTest {
    @Test
    void neverShowsItself() {
        Secret s = Secret.ofHex("DEADBEEFDEADBEEFDEADBEEFDEADBEEF");
        assertThat(s.toString()).isEqualTo("Secret[redacted]");
        assertThat("" + s).doesNotContainIgnoringCase("dead");
        assertThat(s.length()).isEqualTo(16);
    }

    @Test
    void hexErrorsDoNotEchoTheKey() {
        assertThatThrownBy(() -> Secret.ofHex("ABCDEFGZ")).hasMessageNotContaining("ABCDEF")
                .hasMessageContaining("position 6");
        assertThatThrownBy(() -> Secret.ofHex("ABC")).hasMessageNotContaining("ABC").hasMessageContaining("odd");
    }

    @Test
    void equalityIsByValueAndDestroyZeroes() {
        Secret a = Secret.ofUtf8("password1");
        assertThat(a).isEqualTo(Secret.ofUtf8("password1")).isNotEqualTo(Secret.ofUtf8("password2"));
        assertThat(a.hashCode()).isEqualTo(Secret.ofUtf8("other").hashCode());
        byte[] copy = a.copyBytes();
        copy[0] = 'X';
        assertThat(a.revealUtf8()).isEqualTo("password1");
        a.destroy();
        assertThat(a.isDestroyed()).isTrue();
        assertThatThrownBy(a::copyBytes).isInstanceOf(IllegalStateException.class);
    }
}
