package org.arc4j.examples.center.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receive, supervision and forward sections: the sample file, defaults, and one-line errors. */
class LinksConfigTest {
    @TempDir
    Path dir;

    private LinksConfig load(String yaml) throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, yaml);
        return LinksConfig.load(f);
    }

    @Test
    void theSampleAndTheDefaults() throws Exception {
        LinksConfig sample = LinksConfig.load(Path.of("config/center.yaml"));
        assertThat(sample.receive().pstn().lineCount()).isEqualTo(4);
        assertThat(sample.supervision().inspectionPeriod()).isEqualTo(Duration.ofHours(24));
        // CenterConfig leaves the three sections to LinksConfig and still reads the rest
        assertThat(CenterConfig.load(Path.of("config/center.yaml")).customers()).isNotEmpty();
        LinksConfig none = load("customers: []\n");
        assertThat(none.receive().pstn().on()).isTrue();
        assertThat(none.receive().receivers()).isEmpty();
        assertThat(none.supervision().tolerance()).isEqualTo(Duration.ofSeconds(30));
        assertThat(none.forward().firstRetry()).isEqualTo(Duration.ofSeconds(1));
        assertThat(none.forward().maxRetry()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void badValuesAreOneLineErrors() {
        assertThatThrownBy(() -> load("supervision: { inspection: 25h }\n"))
                .hasMessageContaining("supervision.inspection must be positive and at most 24h");
        assertThatThrownBy(() -> load("receive: { receivers: [ { name: a, serial: /dev/x, tcp: \"h:1\" } ] }\n"))
                .hasMessageContaining("receive.receivers[0] needs exactly one of serial or tcp");
        assertThatThrownBy(() -> load("receive: { automation: [ { name: a, tcp: nohost } ] }\n"))
                .hasMessageContaining("receive.automation[0].tcp must be host:port");
        assertThatThrownBy(() -> load("forward: { targets: [ { name: hub, type: webhook } ] }\n"))
                .hasMessageContaining("forward.targets[0].url must be an http(s) URL");
        assertThatThrownBy(() -> load("forward: { targets: [ { name: hub, type: fax } ] }\n"))
                .hasMessageContaining("type must be webhook, terminal or phone");
        assertThatThrownBy(() -> load("receive: { pstn: { lines: 0 } }\n"))
                .hasMessageContaining("receive.pstn.lines must be at least 1");
        assertThatThrownBy(() -> load("receive: { pstn: { trunks: 4 } }\n"))
                .hasMessageContaining("at receive.pstn").hasMessageContaining("trunks");
        assertThatThrownBy(() -> load("forward: { retryMax: soon }\n"))
                .hasMessageContaining("forward.retryMax");
    }
}
