package org.arc4j.examples.center.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** CSV cells: formula-looking text defused (OWASP CSV injection), RFC 4180 quoting; PDF text made Latin-1. */
class ReportsTest {
    @Test
    void cellsThatASpreadsheetWouldRunAreDefused() {
        assertThat(Reports.cell("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
        assertThat(Reports.cell("+1")).isEqualTo("'+1");
        assertThat(Reports.cell("-2+3")).isEqualTo("'-2+3");
        assertThat(Reports.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(Reports.cell("\tx")).isEqualTo("'\tx");
        assertThat(Reports.cell("plain")).isEqualTo("plain");
        assertThat(Reports.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(Reports.cell("line\nbreak")).isEqualTo("\"line\nbreak\"");
        assertThat(Reports.cell(null)).isEmpty();
        assertThat(Reports.csv(List.of(List.of("a", "=b"), List.of("", "c")))).isEqualTo("a,'=b\r\n,c\r\n");
    }

    @Test
    void pdfTextKeepsLatinOneAndSpellsOutTheLimits() {
        assertThat(Reports.latin1("Response within 4 s (报警响应)")).isEqualTo("Response within 4 s");
        assertThat(Reports.latin1("误报率 ≤ 1 %")).isEqualTo("<= 1 %");
        assertThat(Reports.latin1("Data backed up (数据维护: daily)")).isEqualTo("Data backed up (daily)");
    }
}
