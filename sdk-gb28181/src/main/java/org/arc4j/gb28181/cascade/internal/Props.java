package org.arc4j.gb28181.cascade.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The cascade's journal payloads: {@link Properties} text in UTF-8, keys sorted, so a record is readable with any
 * text tool and needs no JSON library in this module. Stateless.
 */
final class Props {
    private Props() {
    }

    static byte[] write(Map<String, String> entries) {
        Properties p = new Properties();
        p.putAll(entries);
        java.io.StringWriter w = new java.io.StringWriter();
        try {
            p.store(w, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the first line is the date comment Properties always writes: drop it, the record has its own time
        String text = w.toString();
        return text.substring(text.indexOf('\n') + 1).getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, String> read(byte[] payload) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(payload, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> m = new TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            m.put(k, p.getProperty(k));
        }
        return m;
    }
}
