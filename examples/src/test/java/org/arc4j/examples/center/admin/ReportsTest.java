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

    @Test
    void chineseNamesAreKeptInThePdfWithTheEmbeddedCjkFont(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        org.arc4j.core.testsupport.RealPeers.requirePrograms("poppler-utils", "pdftotext");
        org.arc4j.core.testsupport.RealPeers.require(new java.io.File(Reports.CJK_FONTS.get(0)).canRead(),
                "fonts-droid-fallback (" + Reports.CJK_FONTS.get(0) + ")");
        String longName = "华北区域第一百二十三号营业网点地下金库与自助银行联动报警防区".repeat(4);
        byte[] pdf = Reports.pdf("合规报告 · Compliance report", List.of("客户 仓库客户, site 一号仓库"),
                List.of(List.of("id", "requirement"), List.of("response-ip", "报警响应 ≤ 4 s"),
                        List.of("long", longName)));
        java.nio.file.Path file = dir.resolve("r.pdf");
        java.nio.file.Files.write(file, pdf);
        Process pt = new ProcessBuilder("pdftotext", "-layout", file.toString(), "-").redirectErrorStream(true)
                .start();
        String text = new String(pt.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(pt.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(pt.exitValue()).as(text).isZero();
        assertThat(text).contains("合规报告 · Compliance report", "客户 仓库客户, site 一号仓库",
                "response-ip | 报警响应 <= 4 s");
        // the long name was cut to the page's width, on several lines, and nothing of it was lost
        String flat = text.replaceAll("\\s+", "");
        assertThat(flat).contains("long|" + longName);
        assertThat(text.lines().filter(l -> l.contains("华北区域")).count()).isGreaterThan(1);
    }

    @Test
    void theCjkFontIsParsedOnceAndSharedByPdfsMadeAtTheSameTime(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        org.arc4j.core.testsupport.RealPeers.requirePrograms("poppler-utils", "pdftotext");
        org.arc4j.core.testsupport.RealPeers.require(new java.io.File(Reports.CJK_FONTS.get(0)).canRead(),
                "fonts-droid-fallback (" + Reports.CJK_FONTS.get(0) + ")");
        Reports.pdf("第一份", List.of(), List.of(List.of("id"), List.of("一号仓库")));
        assertThat(Reports.cjkFontParses()).isEqualTo(1);
        List<String> names = List.of("东城支行", "西城仓库", "南区小学", "北站金库");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<byte[]>> made = new java.util.ArrayList<>();
            for (String n : names) {
                made.add(pool.submit(() -> Reports.pdf("报告 " + n, List.of("客户 " + n),
                        List.of(List.of("id", "name"), List.of("c", n)))));
            }
            for (int i = 0; i < names.size(); i++) {
                java.nio.file.Path file = dir.resolve(i + ".pdf");
                java.nio.file.Files.write(file, made.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS));
                Process pt = new ProcessBuilder("pdftotext", "-layout", file.toString(), "-")
                        .redirectErrorStream(true).start();
                String text = new String(pt.getInputStream().readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8);
                assertThat(pt.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(pt.exitValue()).as(text).isZero();
                assertThat(text).contains("报告 " + names.get(i), "客户 " + names.get(i), "c | " + names.get(i));
            }
        } finally {
            pool.shutdownNow();
        }
        // parsed once for this JVM, not once per PDF
        assertThat(Reports.cjkFontParses()).isEqualTo(1);
    }
}
