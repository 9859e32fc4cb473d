package org.arc4j.gb28181.sip;

/**
 * The CSeq header (RFC 3261 §20.16): a sequence number and a method.
 *
 * @param number the sequence number, 0 to 2^31-1
 * @param method the method
 */
public record CSeq(long number, String method) {
    /**
     * Parses a CSeq value.
     *
     * @param value the header value, e.g. {@code 2 REGISTER}
     * @return the CSeq, or null if malformed
     */
    public static CSeq parse(String value) {
        String v = value.trim();
        int sp = 0;
        while (sp < v.length() && !Character.isWhitespace(v.charAt(sp))) {
            sp++;
        }
        if (sp == 0 || sp > 10 || sp == v.length()) {
            return null;
        }
        long n = 0;
        for (int i = 0; i < sp; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            n = n * 10 + (c - '0');
        }
        if (n > Integer.MAX_VALUE) {
            return null;
        }
        String m = v.substring(sp).trim();
        if (m.isEmpty() || m.indexOf(' ') >= 0) {
            return null;
        }
        return new CSeq(n, m);
    }

    @Override
    public String toString() {
        return number + " " + method;
    }
}
