package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.arc4j.examples.center.config.CenterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CenterConfigTest {
    static final Path SAMPLE = Path.of("config", "center.yaml");

    @Test
    void theCommentedSampleLoads() {
        CenterConfig c = CenterConfig.load(SAMPLE);
        assertThat(c.customers()).hasSize(2);
        assertThat(c.intake().window()).isEqualTo(java.time.Duration.ofMinutes(10));
        assertThat(CenterConfig.empty().intake().window()).isEqualTo(java.time.Duration.ofMinutes(10));
        CenterConfig.Customer bank = c.customers().get(0);
        assertThat(bank.name()).isEqualTo("东城支行");
        assertThat(bank.keyCustomer()).isTrue();
        CenterConfig.Site site = bank.sites().get(0);
        assertThat(site.zones()).extracting(CenterConfig.Zone::name).containsExactly("前门", "金库门", "紧急按钮");
        CenterConfig.Account acct = site.accounts().get(0);
        assertThat(acct.account()).isEqualTo("1234");
        assertThat(CenterConfig.duration(acct.pollInterval())).isEqualTo(Duration.ofSeconds(90));
        assertThat(acct.schedule().days()).contains("MON", "FRI");
        assertThat(c.dc09().behind()).isEqualTo(Duration.ofSeconds(40));
        assertThat(c.gb28181().devices()).hasSize(1);
        assertThat(c.rules().forwarding()).extracting(CenterConfig.Forwarding::to).contains("police");
        assertThat(c.actionPlans()).hasSize(3);
        assertThat(Files.exists(SAMPLE.resolveSibling(site.plan()))).isTrue();
    }

    @Test
    void badConfigGivesOneLineNamingThePlace(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "customers:\n  - id: C1\n    name: x\n    sites:\n      - id: S1\n        accounts:\n"
                + "          - { account: \"12\" }\n");
        assertThatThrownBy(() -> CenterConfig.load(f)).hasMessageContaining("customers[0].sites[0].accounts[0].account")
                .hasMessageContaining("3 to 16 hex digits").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

        Files.writeString(f, "customers:\n  - id: C1\n    name: x\n    colour: red\n");
        assertThatThrownBy(() -> CenterConfig.load(f)).hasMessageContaining("customers[0]").hasMessageContaining("colour")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

        Files.writeString(f, "customers:\n  - id: C1\n    name: x\n    sites:\n      - id: S1\n        accounts:\n"
                + "          - { account: \"1234\", dc09Key: \"0011\" }\n");
        assertThatThrownBy(() -> CenterConfig.load(f)).hasMessageContaining("AES-128, -192 or -256");

        Files.writeString(f, "dc09: { timestampBehind: soon }\n");
        assertThatThrownBy(() -> CenterConfig.load(f)).hasMessageContaining("dc09.timestampBehind");

        assertThatThrownBy(() -> CenterConfig.load(dir.resolve("missing.yaml"))).hasMessageContaining("no such file");
    }

    @Test
    void exportedIdsAreCheckedNamingTheField(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ids.yaml");
        String head = "customers:\n  - id: C1\n    name: x\n    sites:\n      - id: S1\n        zones:\n"
                + "          - { number: \"001\" }\ngb28181:\n  devices:\n    - { id: \"34020000001320000009\" }\n"
                + "  cascade:\n    uppers: []\n    ids:\n";
        Files.writeString(f, head + "      \"site:S1\": \"34020000002160000077\"\n"
                + "      \"zone:S1/001\": \"34020000001340000078\"\n");
        assertThat(CenterConfig.load(f).gb28181().cascade().ids()).containsEntry("zone:S1/001", "34020000001340000078")
                .containsEntry("site:S1", "34020000002160000077");

        Files.writeString(f, head + "      \"zone:S1/002\": \"34020000001340000078\"\n");
        assertThatThrownBy(() -> CenterConfig.load(f)).hasMessageContaining("gb28181.cascade.ids[\"zone:S1/002\"]")
                .hasMessageContaining("names no configured");
        Files.writeString(f, head + "      \"site:S1\": \"3402000000216000007\"\n");
        assertThatThrownBy(() -> CenterConfig.load(f)).hasMessageContaining("gb28181.cascade.ids[\"site:S1\"]")
                .hasMessageContaining("20-digit");
        Files.writeString(f, head + "      \"zone:S1/001\": \"34020000002160000078\"\n");
        assertThatThrownBy(() -> CenterConfig.load(f)).hasMessageContaining("gb28181.cascade.ids[\"zone:S1/001\"]")
                .hasMessageContaining("type code 134");
        Files.writeString(f, head + "      \"site:S1\": \"34020000002160000077\"\n"
                + "      \"customer:C1\": \"34020000002160000077\"\n");
        assertThatThrownBy(() -> CenterConfig.load(f)).hasMessageContaining("gb28181.cascade.ids[\"site:S1\"]")
                .hasMessageContaining("is also gb28181.cascade.ids[\"customer:C1\"]");
        Files.writeString(f, head + "      \"cam:none\": \"34020000001320000009\"\n");
        assertThatThrownBy(() -> CenterConfig.load(f)).hasMessageContaining("gb28181.cascade.ids[\"cam:none\"]")
                .hasMessageContaining("own ID");
    }

    @Test
    void durationsInHumanForm() {
        assertThat(CenterConfig.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(CenterConfig.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(CenterConfig.duration("25h")).isEqualTo(Duration.ofHours(25));
        assertThat(CenterConfig.duration("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> CenterConfig.duration("ten")).hasMessageContaining("not a duration");
    }
}
