package org.arc4j.gb28181.manscdp;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Decodes MANSCDP bodies ({@code Application/MANSCDP+xml}, GB/T 28181 Annex A) by their declared charset,
 * GB18030 when none is declared or a GB name is (a superset of GB2312, so rare characters in names survive).
 *
 * <p>A decoder driven by the StAX event stream, bounded in size, depth and element count, with DTDs refused
 * (no entity expansion). It never throws: bad input gives a {@link ManscdpResult.Invalid}. It tolerates what
 * devices send ({@link ManscdpTolerance}): UTF-8 bodies declared GB2312, text already garbled upstream, stray
 * text between elements, an alarm Notify without CmdType or SN.
 *
 * <p>Thread-safe: use {@link #INSTANCE}.
 */
public final class ManscdpDecoder {
    /** The decoder, with a 256 KiB body limit. */
    public static final ManscdpDecoder INSTANCE = new ManscdpDecoder(256 * 1024, 32, 50_000);

    private static final List<String> ROOTS = List.of("Query", "Control", "Notify", "Response");

    private final int maxBytes;
    private final int maxDepth;
    private final int maxElements;
    /** One factory per thread: the JDK does not promise that a factory may be used by several at once. */
    private final ThreadLocal<XMLInputFactory> factory = ThreadLocal.withInitial(ManscdpDecoder::newFactory);

    /**
     * @param maxBytes    the largest body
     * @param maxDepth    the deepest nesting
     * @param maxElements the most elements
     */
    public ManscdpDecoder(int maxBytes, int maxDepth, int maxElements) {
        this.maxBytes = maxBytes;
        this.maxDepth = maxDepth;
        this.maxElements = maxElements;
    }

    private static XMLInputFactory newFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }

    /**
     * Decodes a body.
     *
     * @param body the bytes
     * @return the document or the error
     */
    public ManscdpResult decode(byte[] body) {
        if (body.length == 0) {
            return new ManscdpResult.Invalid(ManscdpError.EMPTY, "");
        }
        if (body.length > maxBytes) {
            return new ManscdpResult.Invalid(ManscdpError.TOO_LARGE, body.length + " bytes");
        }
        EnumSet<ManscdpTolerance> tol = EnumSet.noneOf(ManscdpTolerance.class);
        String declared = declaredEncoding(body);
        ManscdpCharset cs = ManscdpCharset.forDecoding(declared);
        if (cs == ManscdpCharset.GB18030 && hasNonAscii(body) && isUtf8(body)) {
            cs = ManscdpCharset.UTF_8;
            if (declared != null) {
                tol.add(ManscdpTolerance.CHARSET_MISMATCH);
            }
        }
        String text = new String(body, cs.charset());
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        if (text.contains("锟斤拷") || text.indexOf('\uFFFD') >= 0) {
            tol.add(ManscdpTolerance.GARBLED_TEXT);
        }
        ManscdpElement root;
        try {
            root = parse(text, tol);
        } catch (XMLStreamException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage();
            int nl = msg.indexOf('\n');
            String detail = (nl >= 0 ? msg.substring(nl + 1) : msg).trim();
            if (detail.contains("DOCTYPE") || detail.contains("DTD")) {
                return new ManscdpResult.Invalid(ManscdpError.DOCTYPE_FORBIDDEN, "");
            }
            return new ManscdpResult.Invalid(ManscdpError.MALFORMED_XML, detail);
        } catch (TooComplex e) {
            return new ManscdpResult.Invalid(ManscdpError.TOO_COMPLEX, e.getMessage());
        } catch (Doctype e) {
            return new ManscdpResult.Invalid(ManscdpError.DOCTYPE_FORBIDDEN, "");
        }
        if (!ROOTS.contains(root.name())) {
            return new ManscdpResult.Invalid(ManscdpError.UNKNOWN_ROOT, root.name());
        }
        String cmdType = root.childText("CmdType");
        if (cmdType == null) {
            if (root.name().equals("Notify") && root.child("AlarmMethod") != null) {
                cmdType = "Alarm";
                tol.add(ManscdpTolerance.CMDTYPE_INFERRED);
            } else {
                return new ManscdpResult.Invalid(ManscdpError.CMDTYPE_MISSING, root.name());
            }
        }
        String snText = root.childText("SN");
        long sn = -1;
        if (snText == null) {
            if (!root.name().equals("Notify")) {
                return new ManscdpResult.Invalid(ManscdpError.SN_INVALID, "missing");
            }
            tol.add(ManscdpTolerance.SN_MISSING);
        } else {
            sn = parseSn(snText);
            if (sn < 0) {
                return new ManscdpResult.Invalid(ManscdpError.SN_INVALID, snText);
            }
        }
        String deviceId = root.childText("DeviceID");
        if (deviceId == null && cmdType.equals("Broadcast")) {
            deviceId = root.childText("TargetID"); // A.2.5 voice broadcast names source and target instead
        }
        if (deviceId == null) {
            return new ManscdpResult.Invalid(ManscdpError.DEVICE_ID_MISSING, root.name() + "/" + cmdType);
        }
        return new ManscdpResult.Decoded(new ManscdpDocument(root, cmdType, sn, deviceId, cs, tol));
    }

    private static long parseSn(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static final class TooComplex extends Exception {
        private static final long serialVersionUID = 1L;

        TooComplex(String m) {
            super(m, null, false, false);
        }
    }

    private static final class Doctype extends Exception {
        private static final long serialVersionUID = 1L;

        Doctype() {
            super(null, null, false, false);
        }
    }

    private static final class Open {
        final String name;
        final Map<String, String> attributes;
        final StringBuilder text = new StringBuilder();
        final List<ManscdpElement> children = new ArrayList<>();

        Open(String name, Map<String, String> attributes) {
            this.name = name;
            this.attributes = attributes;
        }
    }

    private ManscdpElement parse(String text, EnumSet<ManscdpTolerance> tol)
            throws XMLStreamException, TooComplex, Doctype {
        XMLStreamReader r = factory.get().createXMLStreamReader(new StringReader(text));
        try {
            Deque<Open> stack = new ArrayDeque<>();
            ManscdpElement root = null;
            int elements = 0;
            while (r.hasNext()) {
                int ev = r.next();
                switch (ev) {
                    case XMLStreamConstants.DTD -> throw new Doctype();
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (++elements > maxElements) {
                            throw new TooComplex("over " + maxElements + " elements");
                        }
                        if (stack.size() >= maxDepth) {
                            throw new TooComplex("deeper than " + maxDepth);
                        }
                        Map<String, String> attrs = new HashMap<>();
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            attrs.put(r.getAttributeLocalName(i), r.getAttributeValue(i));
                        }
                        stack.push(new Open(r.getLocalName(), attrs));
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (!stack.isEmpty()) {
                            stack.peek().text.append(r.getText());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        Open o = stack.pop();
                        String t = o.text.toString().trim();
                        if (!o.children.isEmpty() && !t.isEmpty()) {
                            tol.add(ManscdpTolerance.STRAY_TEXT);
                            t = "";
                        }
                        ManscdpElement e = new ManscdpElement(o.name, o.attributes, t, o.children);
                        if (stack.isEmpty()) {
                            root = e;
                        } else {
                            stack.peek().children.add(e);
                        }
                    }
                    default -> {
                    }
                }
            }
            if (root == null) {
                throw new XMLStreamException("\nno root element");
            }
            return root;
        } finally {
            r.close();
        }
    }

    /** Reads {@code encoding="…"} from the XML declaration, which is ASCII in every charset MANSCDP uses. */
    static String declaredEncoding(byte[] b) {
        int n = Math.min(b.length, 200);
        String head = new String(b, 0, n, StandardCharsets.ISO_8859_1);
        int start = head.indexOf("<?xml");
        if (start < 0) {
            return null;
        }
        int end = head.indexOf("?>", start);
        if (end < 0) {
            return null;
        }
        String decl = head.substring(start, end);
        int e = decl.indexOf("encoding");
        if (e < 0) {
            return null;
        }
        int q = e + 8;
        while (q < decl.length() && (decl.charAt(q) == ' ' || decl.charAt(q) == '=')) {
            q++;
        }
        if (q >= decl.length()) {
            return null;
        }
        char quote = decl.charAt(q);
        if (quote != '"' && quote != '\'') {
            return null;
        }
        int close = decl.indexOf(quote, q + 1);
        return close < 0 ? null : decl.substring(q + 1, close);
    }

    private static boolean hasNonAscii(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
