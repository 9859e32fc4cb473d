package org.arc4j.protocols.onvif.internal;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The lenient SOAP reader: the JDK's namespace-aware StAX parser over text decoded by arc4j, with the repairs
 * that real cameras need, each recorded in the result so tests and traces can say what was tolerated.
 *
 * <ul>
 *   <li>The XML declaration is read by us and then dropped: its encoding is believed only when the bytes agree
 *       (a declared {@code utf-16} over single-byte text is read as UTF-8), and a broken declaration (typographic
 *       quotes) is ignored rather than fatal.</li>
 *   <li>Unbound prefixes (a gSOAP template that forgot {@code xmlns:SOAP-ENV}): the document is read again
 *       without namespace awareness and prefixes are resolved by arc4j, falling back to the well-known ONVIF
 *       prefixes; readers match on local names, so the content is still understood.</li>
 *   <li>DTDs and external entities are refused (XXE).</li>
 * </ul>
 * Stateless and thread-safe ({@link #INSTANCE}).
 */
public final class Xml {
    /** The shared instance. */
    public static final Xml INSTANCE = new Xml();

    private static final Pattern DECL = Pattern.compile("^\\s*<\\?xml[^>]*\\?>");
    private static final Pattern ENC = Pattern.compile("encoding\\s*=\\s*[\"'\u201c\u201d]([A-Za-z0-9._:-]+)");
    private static final Map<String, String> WELL_KNOWN = Map.ofEntries(
            Map.entry("SOAP-ENV", Namespaces.SOAP12), Map.entry("soap", Namespaces.SOAP12),
            Map.entry("env", Namespaces.SOAP12), Map.entry("s", Namespaces.SOAP12),
            Map.entry("soapenv", Namespaces.SOAP12),
            Map.entry("tt", Namespaces.TT), Map.entry("tds", Namespaces.TDS), Map.entry("trt", Namespaces.TRT),
            Map.entry("tr2", Namespaces.TR2), Map.entry("tptz", Namespaces.TPTZ), Map.entry("tev", Namespaces.TEV),
            Map.entry("ter", Namespaces.TER), Map.entry("wsnt", Namespaces.WSNT), Map.entry("tmd", Namespaces.TMD),
            Map.entry("tns1", Namespaces.TNS1), Map.entry("timg", "http://www.onvif.org/ver20/imaging/wsdl"));

    /**
     * The outcome of a parse.
     *
     * @param root    the document element, or null when the text could not be read at all
     * @param repairs what was tolerated (empty for a well-formed document)
     * @param error   why nothing could be read, or null
     */
    public record Result(XmlElement root, List<String> repairs, String error) {
        /** @return true when a document element was read */
        public boolean ok() {
            return root != null;
        }
    }

    private Xml() {
    }

    /**
     * Reads a document.
     *
     * @param bytes the bytes as received (bounded by the caller)
     * @return the result, never null; never throws
     */
    public Result parse(byte[] bytes) {
        List<String> repairs = new ArrayList<>();
        String text = decode(bytes, repairs);
        Matcher m = DECL.matcher(text);
        if (m.find()) {
            String decl = m.group();
            if (decl.indexOf('\u201c') >= 0 || decl.indexOf('\u201d') >= 0) {
                repairs.add("malformed XML declaration ignored");
            }
            text = text.substring(m.end());
        }
        try {
            return new Result(read(text, true), List.copyOf(repairs), null);
        } catch (XMLStreamException | RuntimeException strict) {
            try {
                XmlElement root = read(text, false);
                repairs.add("namespace error, read without namespace awareness: " + firstLine(strict.getMessage()));
                return new Result(root, List.copyOf(repairs), null);
            } catch (XMLStreamException | RuntimeException lenient) {
                return new Result(null, List.copyOf(repairs), firstLine(lenient.getMessage()));
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        String t = s.replace('\n', ' ').trim();
        return t.length() > 200 ? t.substring(0, 200) : t;
    }

    private static String decode(byte[] b, List<String> repairs) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF) {
            return new String(b, 3, b.length - 3, StandardCharsets.UTF_8);
        }
        if (b.length >= 2 && ((b[0] & 0xff) == 0xFE && (b[1] & 0xff) == 0xFF
                || (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xFE)) {
            return new String(b, StandardCharsets.UTF_16);
        }
        if (b.length >= 2 && (b[0] == 0 || b[1] == 0)) {
            return new String(b, b[0] == 0 ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_16LE);
        }
        // single-byte-compatible text: the declared encoding counts only if it is one of those
        String head = new String(b, 0, Math.min(b.length, 200), StandardCharsets.ISO_8859_1);
        Matcher m = ENC.matcher(head);
        Charset cs = StandardCharsets.UTF_8;
        if (m.find() && head.trim().startsWith("<?xml")) {
            String name = m.group(1).toUpperCase(Locale.ROOT);
            if (name.startsWith("UTF-16") || name.startsWith("UTF16") || name.startsWith("UTF-32")) {
                repairs.add("declared " + m.group(1) + " over single-byte text, read as UTF-8");
            } else if (!name.equals("UTF-8") && !name.equals("UTF8")) {
                try {
                    cs = Charset.forName(name);
                } catch (IllegalArgumentException e) {
                    repairs.add("unknown encoding " + m.group(1) + ", read as UTF-8");
                }
            }
        }
        try {
            return cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            repairs.add("bytes not valid " + cs.name() + ", undecodable bytes replaced");
            return new String(b, cs);
        }
    }

    // factories are costly to find and not promised thread-safe: one of each kind per thread
    private static final ThreadLocal<XMLInputFactory> STRICT = ThreadLocal.withInitial(() -> newFactory(true));
    private static final ThreadLocal<XMLInputFactory> LENIENT = ThreadLocal.withInitial(() -> newFactory(false));

    private static XMLInputFactory factory(boolean namespaceAware) {
        return namespaceAware ? STRICT.get() : LENIENT.get();
    }

    private static XMLInputFactory newFactory(boolean namespaceAware) {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, namespaceAware);
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }

    private static XmlElement read(String text, boolean namespaceAware) throws XMLStreamException {
        XMLStreamReader r = factory(namespaceAware).createXMLStreamReader(new StringReader(text));
        try {
            XmlElement root = null;
            XmlElement cur = null;
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    XmlElement e;
                    if (namespaceAware) {
                        e = new XmlElement(cur, r.getNamespaceURI(), r.getLocalName());
                        for (int i = 0; i < r.getNamespaceCount(); i++) {
                            e.declare(r.getNamespacePrefix(i), r.getNamespaceURI(i));
                        }
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            e.attribute(r.getAttributeLocalName(i), r.getAttributeValue(i));
                        }
                    } else {
                        String qn = r.getLocalName();
                        int c = qn.indexOf(':');
                        String prefix = c < 0 ? "" : qn.substring(0, c);
                        String local = c < 0 ? qn : qn.substring(c + 1);
                        XmlElement probe = new XmlElement(cur, "", local);
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            String an = r.getAttributeLocalName(i);
                            String ap = r.getAttributePrefix(i);
                            String full = ap == null || ap.isEmpty() ? an : ap + ":" + an;
                            if (full.equals("xmlns")) {
                                probe.declare("", r.getAttributeValue(i));
                            } else if (full.startsWith("xmlns:")) {
                                probe.declare(full.substring(6), r.getAttributeValue(i));
                            } else {
                                int ac = full.indexOf(':');
                                probe.attribute(ac < 0 ? full : full.substring(ac + 1), r.getAttributeValue(i));
                            }
                        }
                        String ns = probe.resolve(prefix);
                        if (ns == null) {
                            ns = WELL_KNOWN.getOrDefault(prefix, "");
                        }
                        e = probe.withNamespace(ns);
                    }
                    if (cur != null) {
                        cur.add(e);
                    } else {
                        root = e;
                    }
                    cur = e;
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    cur = cur == null ? null : cur.parent();
                } else if ((ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA) && cur != null) {
                    cur.appendText(r.getText());
                }
            }
            if (root == null) {
                throw new XMLStreamException("no document element");
            }
            return root;
        } finally {
            r.close();
        }
    }
}
