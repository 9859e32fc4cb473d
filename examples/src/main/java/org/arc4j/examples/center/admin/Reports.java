package org.arc4j.examples.center.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.arc4j.core.security.AuditEntry;

/**
 * Reports as files (GA 1383 系统管理: 报表): tables as CSV (RFC 4180, with cells that a spreadsheet would run as a
 * formula — starting with {@code = + - @}, tab or carriage return — prefixed with an apostrophe, the OWASP CSV
 * injection defence) and as PDF written with Apache PDFBox. The PDF embeds a CJK TrueType font when one is installed
 * (Debian's {@code fonts-droid-fallback}; {@link #CJK_FONTS}), so Chinese names and section headings are kept; without
 * one it falls back to the standard Helvetica, which carries Latin-1 only, and other characters are left out of the
 * PDF (never out of the CSV). Stateless.
 */
public final class Reports {
    private static final float MARGIN = 50;
    private static final float SIZE = 9;
    private static final float LEADING = 12;

    private Reports() {
    }

    /**
     * A table as CSV.
     *
     * @param rows the rows, the header first
     * @return the CSV text, CRLF line ends
     */
    public static String csv(List<List<String>> rows) {
        StringBuilder b = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                b.append(cell(row.get(i)));
            }
            b.append("\r\n");
        }
        return b.toString();
    }

    /**
     * One CSV cell: formula-looking text defused, then quoted when it holds a comma, quote or line break.
     *
     * @param value the value, or null for an empty cell
     * @return the cell
     */
    public static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String v = value;
        char c = v.charAt(0);
        if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            v = '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }

    /**
     * The compliance report as a table.
     *
     * @param r the report
     * @return header and rows
     */
    public static List<List<String>> table(ComplianceReport r) {
        List<List<String>> t = new ArrayList<>();
        t.add(List.of("id", "requirement", "status", "count", "within_limit", "worst_ms", "breaches", "evidence"));
        for (ComplianceReport.Row row : r.rows()) {
            t.add(List.of(row.id(), row.requirement(), ComplianceReport.statusName(row.status()),
                    Long.toString(row.count()), Long.toString(row.withinLimit()),
                    row.worst() == null ? "" : Long.toString(row.worst().toMillis()), String.join(" ", row.breaches()),
                    row.evidence()));
        }
        return t;
    }

    /**
     * Cases as a table.
     *
     * @param cases the cases
     * @return header and rows
     */
    public static List<List<String>> casesTable(List<CaseHistory.CaseRecord> cases) {
        List<List<String>> t = new ArrayList<>();
        t.add(List.of("case", "customer", "site", "category", "transport", "received_at", "closed_at", "state", "drill",
                "police", "operators"));
        for (CaseHistory.CaseRecord c : cases) {
            t.add(List.of(c.id(), str(c.customerId()), str(c.siteId()), str(c.category()), str(c.transport()),
                    str(c.receivedAt()),
                    str(c.closedAt()), str(c.state()), Boolean.toString(c.drill()), Boolean.toString(c.police()),
                    String.join(" ", c.operators())));
        }
        return t;
    }

    /**
     * Audit entries as a table.
     *
     * @param entries the entries
     * @return header and rows
     */
    public static List<List<String>> auditTable(List<AuditEntry> entries) {
        List<List<String>> t = new ArrayList<>();
        t.add(List.of("position", "at", "actor", "origin", "action", "target", "details"));
        for (AuditEntry e : entries) {
            t.add(List.of(Long.toString(e.position()), e.at().toString(), e.actor(), e.origin(), e.action().name(),
                    e.target(), e.details().toString()));
        }
        return t;
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    /**
     * The TrueType fonts tried, in order, for text beyond Latin-1 (Chinese customer, site and section names):
     * Debian's {@code fonts-droid-fallback}. Set {@code arc4j.pdf.font} to a {@code .ttf} file to choose another.
     */
    static final List<String> CJK_FONTS = List.of("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf");

    /** @return the first readable CJK font file, if any */
    static java.util.Optional<java.io.File> cjkFont() {
        String chosen = System.getProperty("arc4j.pdf.font");
        List<String> tried = chosen == null ? CJK_FONTS : List.of(chosen);
        return tried.stream().map(java.io.File::new).filter(java.io.File::canRead)
                .filter(f -> f.getName().endsWith(".ttf")).findFirst();
    }

    /** The CJK fonts parsed so far, by file; each is parsed once and kept open for every later PDF. */
    private static final java.util.Map<String, org.apache.fontbox.ttf.TrueTypeFont> PARSED = new java.util.HashMap<>();
    private static final java.util.concurrent.atomic.AtomicInteger PARSES = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * The CJK font, parsed on first use only (parsing the 16 MB fallback font takes seconds). A parsed font is not
     * safe for concurrent use: callers hold {@code PARSED}'s monitor while they use it (see {@link #pdf}).
     *
     * @return the parsed font, or empty when none is installed
     * @throws IOException if the file cannot be parsed
     */
    private static java.util.Optional<org.apache.fontbox.ttf.TrueTypeFont> sharedCjkFont() throws IOException {
        java.util.Optional<java.io.File> file = cjkFont();
        if (file.isEmpty()) {
            return java.util.Optional.empty();
        }
        synchronized (PARSED) {
            org.apache.fontbox.ttf.TrueTypeFont f = PARSED.get(file.get().getPath());
            if (f == null) {
                f = new org.apache.fontbox.ttf.TTFParser().parse(
                        new org.apache.pdfbox.io.RandomAccessReadBufferedFile(file.get()));
                PARSES.incrementAndGet();
                PARSED.put(file.get().getPath(), f);
            }
            return java.util.Optional.of(f);
        }
    }

    /** @return how many times a CJK font file was parsed in this JVM (once per file) */
    static int cjkFontParses() {
        return PARSES.get();
    }

    /**
     * What the PDF writes with: Helvetica for Latin-1 and, when one is installed, an embedded CJK font (a subset of
     * the glyphs used) for the rest; a line is shown as runs of one font or the other, since the CJK fallback fonts
     * carry no Latin letters.
     */
    private static final class Fonts {
        final PDFont latin = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        final PDFont latinBold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
        final PDFont cjk;
        private final java.util.Map<Integer, Boolean> shown = new java.util.HashMap<>();

        Fonts(PDDocument doc) throws IOException {
            java.util.Optional<org.apache.fontbox.ttf.TrueTypeFont> ttf = sharedCjkFont();
            // the shared font is embedded as a subset of this document's glyphs; the document does not close it
            cjk = ttf.isPresent() ? PDType0Font.load(doc, ttf.get(), true) : null;
        }

        private static boolean isLatin1(int cp) {
            return cp >= 0x20 && cp < 0x7f || cp >= 0xa0 && cp <= 0xff;
        }

        /** The text as these fonts can show it: Latin-1, and with a CJK font every other glyph it has. */
        String clean(String s) {
            if (cjk == null) {
                return latin1(s);
            }
            StringBuilder b = new StringBuilder();
            s.replace("≤", "<=").replace("≥", ">=").codePoints().forEach(cp -> {
                if (Character.isISOControl(cp)) {
                    b.append(' ');
                } else if (isLatin1(cp) || shown.computeIfAbsent(cp, this::has)) {
                    b.appendCodePoint(cp);
                }
            });
            return b.toString().strip();
        }

        private boolean has(int cp) {
            try {
                cjk.encode(new String(Character.toChars(cp)));
                return true;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        /** Splits cleaned text into runs of one font: even indexes Latin-1, odd ones CJK. */
        private List<String> runs(String s) {
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            boolean inLatin = true;
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                // a space between two Chinese words stays with them (the CJK font has one)
                boolean l = isLatin1(cp) && !(cp == ' ' && !inLatin && cjk != null);
                if (l != inLatin) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inLatin = l;
                }
                cur.appendCodePoint(cp);
                i += Character.charCount(cp);
            }
            out.add(cur.toString());
            return out;
        }

        void show(PDPageContentStream cs, String s, float size, boolean bold) throws IOException {
            List<String> runs = runs(s);
            for (int i = 0; i < runs.size(); i++) {
                if (!runs.get(i).isEmpty()) {
                    cs.setFont(i % 2 == 0 ? (bold ? latinBold : latin) : cjk, size);
                    cs.showText(runs.get(i));
                }
            }
        }

        float width(String s, float size) {
            float w = 0;
            List<String> runs = runs(s);
            for (int i = 0; i < runs.size(); i++) {
                try {
                    w += (i % 2 == 0 ? latin : cjk).getStringWidth(runs.get(i)) / 1000 * size;
                } catch (IOException | RuntimeException e) {
                    w += runs.get(i).length() * size;
                }
            }
            return w;
        }
    }

    /**
     * A titled table as a PDF document: A4, one line per row (fields joined by {@code |}, long lines wrapped to
     * the page's width), as many pages as it takes. Latin-1 text is set in the standard Helvetica; when a CJK font
     * is installed ({@link #CJK_FONTS}) it is embedded (only the glyphs used) for the rest, so Chinese text is kept;
     * without one, and for characters neither font has, other characters are left out.
     *
     * @param title the title
     * @param lines lines under the title (the period, who made it)
     * @param table header and rows
     * @return the PDF bytes
     */
    public static byte[] pdf(String title, List<String> lines, List<List<String>> table) {
        // one PDF at a time uses the shared CJK font (it reads its tables lazily, and is not thread-safe)
        synchronized (PARSED) {
            return pdfAlone(title, lines, table);
        }
    }

    private static byte[] pdfAlone(String title, List<String> lines, List<List<String>> table) {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Fonts f = new Fonts(doc);
            float room = PDRectangle.A4.getWidth() - 2 * MARGIN;
            List<String> text = new ArrayList<>();
            for (String l : lines) {
                wrap(f.clean(l), text, f, room);
            }
            text.add("");
            for (List<String> row : table) {
                wrap(f.clean(String.join(" | ", row)), text, f, room);
            }
            int i = 0;
            boolean first = true;
            while (first || i < text.size()) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                float y = page.getMediaBox().getHeight() - MARGIN;
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.newLineAtOffset(MARGIN, y);
                    if (first) {
                        f.show(cs, f.clean(title), 14, true);
                        cs.newLineAtOffset(0, -2 * LEADING);
                        y -= 2 * LEADING;
                        first = false;
                    }
                    while (i < text.size() && y > MARGIN) {
                        f.show(cs, text.get(i++), SIZE, false);
                        cs.newLineAtOffset(0, -LEADING);
                        y -= LEADING;
                    }
                    cs.endText();
                }
            }
            doc.getDocumentInformation().setTitle(title);
            doc.getDocumentInformation().setCreator("arc4j reference centre");
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Cuts a line at spaces (or anywhere, for text without spaces such as Chinese) to fit the page's width. */
    private static void wrap(String line, List<String> out, Fonts f, float room) {
        String rest = line;
        boolean cont = false;
        while (!rest.isEmpty() && f.width((cont ? "    " : "") + rest, SIZE) > room) {
            String prefix = cont ? "    " : "";
            int fit = 1;
            while (fit < rest.length() && f.width(prefix + rest.substring(0, fit + 1), SIZE) <= room) {
                fit++;
            }
            int cut = rest.lastIndexOf(' ', fit);
            cut = cut <= fit / 2 ? fit : cut;
            if (Character.isHighSurrogate(rest.charAt(cut - 1))) {
                cut--;
            }
            out.add(prefix + rest.substring(0, cut));
            rest = rest.substring(cut).stripLeading();
            cont = true;
        }
        out.add((cont ? "    " : "") + rest);
    }

    /** Text the standard fonts can show: ≤ and ≥ spelled out, other non-Latin-1 characters and empty brackets gone. */
    static String latin1(String s) {
        StringBuilder b = new StringBuilder();
        String t = s.replace("≤", "<=").replace("≥", ">=");
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c >= 0x20 && c < 0x7f || c >= 0xa0 && c <= 0xff) {
                b.append(c);
            } else if (c == '\t' || c == '\n' || c == '\r') {
                b.append(' ');
            }
        }
        return b.toString().replace(" ()", "").replace("()", "").replace(" (: ", " (").strip();
    }
}
