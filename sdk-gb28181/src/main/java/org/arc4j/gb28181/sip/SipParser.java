package org.arc4j.gb28181.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * Reads SIP messages (RFC 3261 §7) from bytes, for datagram transports (one message per UDP datagram) and for
 * stream transports (TCP, framed by Content-Length, RFC 3261 §18.3).
 *
 * <p>A decoder driven by an explicit {@link State}: it bounds every line, the number of headers and the
 * message size ({@link SipLimits}), and never throws on bad input: it returns a {@link SipParseResult.Invalid}
 * naming the {@link SipParseError}, so the transport can answer 400 and carry on. Tolerates what devices send
 * ({@link SipTolerance}): bare LF line ends, leading empty lines, folded headers, and over UDP a missing or
 * wrong Content-Length. Header names compare case-insensitively and compact forms are expanded
 * ({@link SipHeaders}).
 *
 * <p>Thread-safe: instances keep no per-message state.
 */
public final class SipParser {
    /** A parser with {@link SipLimits#DEFAULT}. */
    public static final SipParser INSTANCE = new SipParser(SipLimits.DEFAULT);

    private static final SipParseResult.Incomplete INCOMPLETE = new SipParseResult.Incomplete();

    private final SipLimits limits;

    private enum State { START_LINE, HEADERS, BODY }

    /**
     * A parser with the given limits.
     *
     * @param limits the limits
     */
    public SipParser(SipLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** @return the limits */
    public SipLimits limits() {
        return limits;
    }

    /**
     * Parses one UDP datagram as one message. Never returns {@link SipParseResult.Incomplete}.
     *
     * @param buf the bytes
     * @param off where the datagram starts
     * @param len its length
     * @return the result
     */
    public SipParseResult parseDatagram(byte[] buf, int off, int len) {
        return parse(buf, off, len, false);
    }

    /**
     * Parses the next message from a stream. Returns {@link SipParseResult.Incomplete} until all of it
     * (by Content-Length) is available; a Parsed result's {@code consumed} says where the next one starts.
     * Leading CRLF keep-alives (RFC 5626 §3.5.1) are skipped and counted in {@code consumed}.
     *
     * @param buf the bytes received so far
     * @param off where the message starts
     * @param len the bytes available
     * @return the result
     */
    public SipParseResult parseStream(byte[] buf, int off, int len) {
        return parse(buf, off, len, true);
    }

    /**
     * Parses a whole message given as text (tests, tools): as a datagram.
     *
     * @param text the message
     * @return the result
     */
    public SipParseResult parse(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return parseDatagram(b, 0, b.length);
    }

    private SipParseResult parse(byte[] b, int off, int len, boolean stream) {
        Objects.checkFromIndexSize(off, len, b.length);
        final int end = off + len;
        EnumSet<SipTolerance> tol = EnumSet.noneOf(SipTolerance.class);
        int pos = off;
        while (pos < end && (b[pos] == '\r' || b[pos] == '\n')) {
            pos++;
        }
        if (pos > off && !stream) {
            tol.add(SipTolerance.LEADING_EMPTY_LINES);
        }
        if (pos == end) {
            return stream ? INCOMPLETE : invalid(SipParseError.EMPTY, "", b, off, off, false, null, len);
        }
        State state = State.START_LINE;
        boolean request = false;
        String method = null;
        String uri = null;
        int status = 0;
        String reason = null;
        List<String> names = new ArrayList<>(16);
        List<String> values = new ArrayList<>(16);
        final int maxLine = limits.maxLineBytes();
        while (state != State.BODY) {
            int scanEnd = Math.min(end, pos + maxLine + 2);
            int lf = indexOfLf(b, pos, scanEnd);
            if (lf < 0) {
                if (scanEnd - pos > maxLine + 1) {
                    return invalid(SipParseError.LINE_TOO_LONG, "over " + maxLine + " bytes", b, off, pos, request,
                            names, values, len);
                }
                if (stream) {
                    return pos - off > limits.maxMessageBytes()
                            ? invalid(SipParseError.MESSAGE_TOO_LARGE, "", b, off, pos, request, names, values, len)
                            : INCOMPLETE;
                }
                return invalid(state == State.START_LINE ? SipParseError.START_LINE_MALFORMED
                        : SipParseError.HEADERS_UNTERMINATED, "", b, off, pos, request, names, values, len);
            }
            int lineEnd = lf;
            if (lf > pos && b[lf - 1] == '\r') {
                lineEnd = lf - 1;
            } else {
                tol.add(SipTolerance.BARE_LF);
            }
            if (lineEnd - pos > maxLine) {
                return invalid(SipParseError.LINE_TOO_LONG, "over " + maxLine + " bytes", b, off, pos, request,
                        names, values, len);
            }
            for (int i = pos; i < lineEnd; i++) {
                if (b[i] == '\r') { // a CR that ends no line: neither text nor framing (RFC 3261 §25.1)
                    return invalid(state == State.START_LINE ? SipParseError.START_LINE_MALFORMED
                            : SipParseError.HEADER_MALFORMED, "bare CR", b, off, i, request, names, values, len);
                }
            }
            switch (state) {
                case START_LINE -> {
                    String line = text(b, pos, lineEnd);
                    if (startsWithIgnoreCase(line, "SIP/")) {
                        String[] p = splitStatusLine(line);
                        if (p == null) {
                            return invalid(SipParseError.START_LINE_MALFORMED, "", b, off, pos, false, null, len);
                        }
                        if (!p[0].equalsIgnoreCase("SIP/2.0")) {
                            return invalid(SipParseError.UNSUPPORTED_VERSION, p[0], b, off, pos, false, null, len);
                        }
                        status = parseStatus(p[1]);
                        if (status < 0) {
                            return invalid(SipParseError.STATUS_CODE_INVALID, p[1], b, off, pos, false, null, len);
                        }
                        reason = p[2];
                    } else {
                        String[] p = splitRequestLine(line);
                        if (p == null || !isToken(p[0])) {
                            return invalid(SipParseError.START_LINE_MALFORMED, "", b, off, pos, false, null, len);
                        }
                        request = true;
                        if (!p[2].equalsIgnoreCase("SIP/2.0")) {
                            return invalid(SipParseError.UNSUPPORTED_VERSION, p[2], b, off, pos, true, null, len);
                        }
                        method = p[0];
                        uri = p[1];
                        if (uri.indexOf(':') <= 0) {
                            return invalid(SipParseError.START_LINE_MALFORMED, "Request-URI", b, off, pos, true,
                                    null, len);
                        }
                    }
                    state = State.HEADERS;
                }
                case HEADERS -> {
                    if (lineEnd == pos) {
                        state = State.BODY;
                    } else if (b[pos] == ' ' || b[pos] == '\t') {
                        if (values.isEmpty()) {
                            return invalid(SipParseError.HEADER_MALFORMED, "continuation without header", b, off,
                                    pos, request, names, values, len);
                        }
                        tol.add(SipTolerance.FOLDED_HEADER);
                        int last = values.size() - 1;
                        values.set(last, (values.get(last) + " " + text(b, pos, lineEnd).trim()).trim());
                    } else {
                        int colon = -1;
                        for (int i = pos; i < lineEnd; i++) {
                            if (b[i] == ':') {
                                colon = i;
                                break;
                            }
                        }
                        if (colon < 0) {
                            return invalid(SipParseError.HEADER_MALFORMED, "no colon", b, off, pos, request, names,
                                    values, len);
                        }
                        String name = text(b, pos, colon).trim();
                        if (!isToken(name)) {
                            return invalid(SipParseError.HEADER_MALFORMED, "bad name", b, off, pos, request, names,
                                    values, len);
                        }
                        if (names.size() >= limits.maxHeaders()) {
                            return invalid(SipParseError.TOO_MANY_HEADERS, "over " + limits.maxHeaders(), b, off,
                                    pos, request, names, values, len);
                        }
                        names.add(SipHeaders.canonicalName(name));
                        values.add(text(b, colon + 1, lineEnd).trim());
                    }
                }
                default -> throw new IllegalStateException();
            }
            pos = lf + 1;
            if (pos - off > limits.maxMessageBytes()) {
                return invalid(SipParseError.MESSAGE_TOO_LARGE, "", b, off, pos, request, names, values, len);
            }
        }
        SipHeaders.Builder hb = SipHeaders.builder();
        for (int i = 0; i < names.size(); i++) {
            hb.add(names.get(i), values.get(i));
        }
        SipHeaders headers = hb.build();
        for (String mandatory : MANDATORY) {
            if (!headers.contains(mandatory)) {
                return invalid(SipParseError.MISSING_HEADER, mandatory, b, off, pos, request, headers, len);
            }
        }
        CSeq cseq = CSeq.parse(headers.get("CSeq"));
        if (cseq == null || (request && !cseq.method().equals(method))) {
            return invalid(SipParseError.CSEQ_INVALID, headers.get("CSeq"), b, off, pos, request, headers, len);
        }
        String topVia = headers.firstValue("Via");
        if (topVia == null || Via.parse(topVia) == null) {
            return invalid(SipParseError.VIA_INVALID, topVia == null ? "" : topVia, b, off, pos, request,
                    headers, len);
        }
        int contentLength = -1;
        for (String v : headers.all("Content-Length")) {
            int cl = parseContentLength(v);
            if (cl < 0 || (contentLength >= 0 && cl != contentLength)) {
                return invalid(SipParseError.CONTENT_LENGTH_INVALID, v, b, off, pos, request, headers, len);
            }
            contentLength = cl;
        }
        byte[] body;
        int consumed;
        if (stream) {
            if (contentLength < 0) {
                return invalid(SipParseError.CONTENT_LENGTH_MISSING, "", b, off, pos, request, headers, len);
            }
            if ((long) (pos - off) + contentLength > limits.maxMessageBytes()) {
                return invalid(SipParseError.MESSAGE_TOO_LARGE, "Content-Length " + contentLength, b, off, pos,
                        request, headers, len);
            }
            if (end - pos < contentLength) {
                return INCOMPLETE;
            }
            body = Arrays.copyOfRange(b, pos, pos + contentLength);
            consumed = pos + contentLength - off;
        } else {
            int rest = end - pos;
            if (contentLength < 0) {
                if (rest > 0) {
                    tol.add(SipTolerance.CONTENT_LENGTH_ABSENT);
                }
            } else if (contentLength != rest) {
                tol.add(SipTolerance.CONTENT_LENGTH_MISMATCH);
            }
            body = Arrays.copyOfRange(b, pos, end);
            consumed = len;
        }
        SipMessage message = request
                ? SipRequest.wrap(method, uri, headers, body)
                : SipResponse.wrap(status, reason, headers, body);
        return new SipParseResult.Parsed(message, consumed, tol);
    }

    private static final String[] MANDATORY = {"Via", "From", "To", "Call-ID", "CSeq"};

    private static int indexOfLf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String text(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] < 0) {
                return new String(b, from, to - from, StandardCharsets.UTF_8);
            }
        }
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    /** Method, Request-URI and version separated by single spaces (runs of spaces and tabs tolerated). */
    private static String[] splitRequestLine(String line) {
        String[] out = new String[3];
        int n = 0;
        int i = 0;
        int len = line.length();
        while (i < len) {
            while (i < len && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            if (i == len) {
                break;
            }
            int start = i;
            while (i < len && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
                i++;
            }
            if (n == 3) {
                return null;
            }
            out[n++] = line.substring(start, i);
        }
        return n == 3 ? out : null;
    }

    private static String[] splitStatusLine(String line) {
        int sp1 = line.indexOf(' ');
        if (sp1 < 0) {
            return null;
        }
        int codeStart = sp1 + 1;
        while (codeStart < line.length() && line.charAt(codeStart) == ' ') {
            codeStart++;
        }
        int sp2 = line.indexOf(' ', codeStart);
        String code = sp2 < 0 ? line.substring(codeStart) : line.substring(codeStart, sp2);
        String reason = sp2 < 0 ? "" : line.substring(sp2 + 1).trim();
        return new String[] {line.substring(0, sp1), code, reason};
    }

    private static int parseStatus(String s) {
        if (s.length() != 3) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v >= 100 && v <= 699 ? v : -1;
    }

    private static int parseContentLength(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** RFC 3261 §25.1 token characters. */
    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-.!%*_+`'~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static SipParseResult.Invalid invalid(SipParseError e, String detail, byte[] b, int off, int at,
                                                  boolean request, List<String> names, List<String> values,
                                                  int len) {
        SipHeaders.Builder hb = SipHeaders.builder();
        for (int i = 0; i < names.size(); i++) {
            hb.add(names.get(i), values.get(i));
        }
        return invalid(e, detail, b, off, at, request, hb.build(), len);
    }

    private static SipParseResult.Invalid invalid(SipParseError e, String detail, byte[] b, int off, int at,
                                                  boolean request, SipHeaders headers, int len) {
        int from = Math.min(at, off + len);
        byte[] offending = Arrays.copyOfRange(b, from, Math.min(off + len, from + 64));
        return new SipParseResult.Invalid(e, detail == null ? "" : detail, at - off, offending, request,
                headers == null ? SipHeaders.empty() : headers, len);
    }
}
