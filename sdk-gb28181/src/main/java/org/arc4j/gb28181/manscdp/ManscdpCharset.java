package org.arc4j.gb28181.manscdp;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The character sets MANSCDP bodies are written in. GB/T 28181 declares GB2312; GB18030 is its superset (rare
 * characters in names survive), and some devices and platforms use UTF-8.
 */
public enum ManscdpCharset {
    /** GB2312, the standard's declaration; written with the GB2312 encoder. */
    GB2312("GB2312", Charset.forName("GB2312")),
    /** GB18030, a superset of GB2312 and GBK: the default for decoding. */
    GB18030("GB18030", Charset.forName("GB18030")),
    /** UTF-8, per device. */
    UTF_8("UTF-8", StandardCharsets.UTF_8);

    private final String declaration;
    private final Charset charset;

    ManscdpCharset(String declaration, Charset charset) {
        this.declaration = declaration;
        this.charset = charset;
    }

    /** @return the name written in {@code <?xml … encoding="…"?>} */
    public String declaration() {
        return declaration;
    }

    /** @return the JDK charset used to encode */
    public Charset charset() {
        return charset;
    }

    /**
     * The charset to decode a declared encoding with: any GB name (GB2312, GBK, GB18030) reads as GB18030, a
     * superset; UTF-8 as UTF-8; anything else or nothing as GB18030.
     *
     * @param declared the declared encoding, or null
     * @return the charset to decode with
     */
    public static ManscdpCharset forDecoding(String declared) {
        if (declared == null) {
            return GB18030;
        }
        String d = declared.trim().toUpperCase(java.util.Locale.ROOT).replace("_", "-");
        if (d.equals("UTF-8") || d.equals("UTF8")) {
            return UTF_8;
        }
        return GB18030;
    }
}
