package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CenterOptionsTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        CenterOptions o = CenterOptions.parse();
        assertThat(o.data()).isEqualTo(Path.of("arc4j-data"));
        assertThat(o.bind()).isEqualTo("127.0.0.1");
        assertThat(o.http()).isEqualTo(8080);
        assertThat(o.dc09Tcp()).isEqualTo(9000);
        assertThat(o.dc09Udp()).isEqualTo(9000);
        assertThat(o.sip()).isEqualTo(5060);
        assertThat(o.sipId()).hasSize(20).isEqualTo(CenterOptions.DEFAULT_SIP_ID);
        assertThat(o.sipDomain()).isEqualTo("3402000000");
        assertThat(o.config()).isNull();
        assertThat(o.store()).isNull();
    }

    @Test
    void theStoreIsAPostgresqlUrl() {
        assertThat(CenterOptions.parse("--store", "postgresql://arc4j@db1:5432/centre").store())
                .isEqualTo("postgresql://arc4j@db1:5432/centre");
        assertThatThrownBy(() -> CenterOptions.parse("--store", "mysql://db1/centre"))
                .hasMessageContaining("--store").hasMessageContaining("postgresql://");
    }

    @Test
    void flagsWithSpaceOrEquals() {
        CenterOptions o = CenterOptions.parse("--data", "/tmp/x", "--bind=0.0.0.0", "--http", "0", "--dc09-tcp=9100",
                "--sip-id", "11010000002000000001", "--config", "c.yaml");
        assertThat(o.data()).isEqualTo(Path.of("/tmp/x"));
        assertThat(o.bind()).isEqualTo("0.0.0.0");
        assertThat(o.http()).isZero();
        assertThat(o.dc09Tcp()).isEqualTo(9100);
        assertThat(o.sipDomain()).isEqualTo("1101000000");
        assertThat(o.config()).isEqualTo(Path.of("c.yaml"));
    }

    @Test
    void badFlagsGiveOneClearLine() {
        assertThatThrownBy(() -> CenterOptions.parse("--http", "80000")).hasMessage(
                "--http must be a port number 0-65535, got '80000'");
        assertThatThrownBy(() -> CenterOptions.parse("--sip-id", "123")).hasMessageContaining("20 digits");
        assertThatThrownBy(() -> CenterOptions.parse("--frobnicate", "1")).hasMessageContaining("unknown option --frobnicate");
        assertThatThrownBy(() -> CenterOptions.parse("--data")).hasMessage("--data needs a value");
        assertThatThrownBy(() -> CenterOptions.parse("stray")).hasMessageContaining("unexpected argument");
        assertThat(CenterOptions.usage()).doesNotContain("\n\n");
    }
}
