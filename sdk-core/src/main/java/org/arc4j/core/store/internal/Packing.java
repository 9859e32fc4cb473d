package org.arc4j.core.store.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The journal's record packing (frame flag {@link Frames#FLAG_PACKED}): a record's subject and payload, stored as
 * back-references into a fixed dictionary of typical records and into the record itself, with literal runs between
 * them. Event and case-transition JSON repeats the same field names, enum values and (within one record) ids, so
 * a record shrinks to a third or less; unlike {@code java.util.zip.Deflater} with a preset dictionary (measured at
 * about 10 µs a record here, which would have tripled the journal's share of the CPU per alarm), packing costs
 * about a microsecond and needs no native state.
 *
 * <pre>
 * packed  = varint(raw length) token*
 * token   = 0LLLLLLL  then L+1 literal bytes                       (1..128 literals)
 *         | 1LLLLLLL  then u16 big-endian distance D               (copy L+4 bytes, 4..131, from D bytes back
 *                                                                  in DICTIONARY ++ output so far; may overlap)
 * </pre>
 *
 * <p>The dictionary is part of the on-disk format: it never changes (another one would need another flag or
 * version). Records whose raw bytes exceed {@link #MAX_RAW} are stored as they are. Stateless and thread-safe.
 */
public final class Packing {
    /** The largest subject + payload that is packed (distances are 16 bits). */
    public static final int MAX_RAW = 60 * 1024;
    private static final int MIN_MATCH = 4;
    private static final int MAX_MATCH = 131;
    private static final int HASH_BITS = 12;
    /** Dictionary candidates tried per position: enough for the repeated structure, bounded cost. */
    private static final int CHAIN = 8;

    /**
     * Typical records of a centre: an event, an idempotency key, case transitions, a checkpoint. Pinned: journals
     * on disk refer into it by distance.
     */
    static final byte[] DICTIONARY = ("R1/L1/1000\0{\"v\":1,\"id\":\"01M8RDA4M0S1MQB5NAJZ6JV6P8\",\"account\":\"1000\","
            + "\"receiver\":\"R1\",\"line\":\"L1\",\"protocol\":\"DC09_SIA_DCS\",\"transport\":\"IP\",\"ingress\":"
            + "{\"adapter\":\"dc09-tcp\",\"endpoint\":\"0.0.0.0:9000\"},\"link\":\"dc09-tcp@0.0.0.0:9000\","
            + "\"codeSystem\":\"SIA\",\"code\":\"BA\",\"qualifier\":\"NEW_EVENT\",\"category\":\"INTRUSION\","
            + "\"priority\":4,\"description\":\"Burglary alarm\",\"partition\":\"1\",\"zone\":\"001\",\"zoneNumber\":1,"
            + "\"triggeredAt\":\"2026-12-01T09:00:00Z\",\"clockSkew\":\"PT0S\",\"receivedAt\":\"2026-12-01T09:00:00Z\","
            + "\"extended\":{},\"drill\":false,\"raw\":\"CjAw\"}"
            + "\0{\"key\":\"dc09-tcp\\u001F1000\\u001F1\",\"events\":[\"01M8RDA4M0S1MQB5NAJZ6JV6P8\"]}"
            + "C01M8RDA4M0S1MQB5NAJZ6JV6P8\0{\"v\":2,\"case\":\"C01M8RDA4M0S1MQB5NAJZ6JV6P8\",\"action\":\"RECEIVED\","
            + "\"state\":\"RECEIVED\",\"at\":\"2026-12-01T09:00:00Z\",\"actor\":{\"kind\":\"SYSTEM\",\"id\":\"system\"},"
            + "\"drill\":false,\"events\":[\"01M8RDA4M0S1MQB5NAJZ6JV6P8\"],\"details\":{\"eventId\":"
            + "\"01M8RDA4M0S1MQB5NAJZ6JV6P8\",\"link\":\"dc09-tcp@0.0.0.0:9000\",\"keyCustomer\":\"false\","
            + "\"transport\":\"IP\",\"severity\":\"HIGH\",\"responseStart\":\"2026-12-01T09:00:00Z\","
            + "\"responseLimit\":\"PT4S\"},\"eventAt\":1}"
            + "C01M8RDA4M0S1MQB5NAJZ6JV6P8\0{\"v\":2,\"case\":\"C01M8RDA4M0S1MQB5NAJZ6JV6P8\",\"action\":\"ESCALATED\","
            + "\"state\":\"VERIFYING\",\"at\":\"2026-12-01T09:00:00Z\",\"actor\":{\"kind\":\"OPERATOR\",\"id\":\"op1\"},"
            + "\"drill\":false,\"police\":true,\"details\":{\"method\":\"VIDEO\",\"target\":\"POLICE\"}}"
            + "{\"v\":2,\"case\":\"C01M8RDA4M0S1MQB5NAJZ6JV6P8\",\"action\":\"FORWARDED\",\"state\":\"FORWARDED\","
            + "\"action\":\"DISPATCH_ORDERED\",\"state\":\"DISPATCHED\",\"action\":\"VERIFIED\",\"state\":\"VERIFIED\""
            + "\"action\":\"VERIFICATION_STARTED\",\"state\":\"VERIFYING\",\"at\":\"2026-12-01T09:00:00Z\",\"actor\":"
            + "{\"kind\":\"CONSOLE\",\"id\":\"console1\"},\"drill\":false}"
            + "C01M8RDA4M0S1MQB5NAJZ6JV6P8\0{\"v\":2,\"case\":\"C01M8RDA4M0S1MQB5NAJZ6JV6P8\",\"action\":\"PRESENTED\","
            + "\"state\":\"PRESENTED\",\"at\":\"2026-12-01T09:00:00Z\",\"actor\":{\"kind\":\"CONSOLE\",\"id\":\"console1\"},"
            + "\"drill\":false}"
            + "C01M8RDA4M0S1MQB5NAJZ6JV6P8\0{\"v\":2,\"case\":\"C01M8RDA4M0S1MQB5NAJZ6JV6P8\",\"action\":\"TAKEN\","
            + "\"state\":\"TAKEN\",\"at\":\"2026-12-01T09:00:00Z\",\"actor\":{\"kind\":\"OPERATOR\",\"id\":\"op1\"},"
            + "\"drill\":false}"
            + "C01M8RDA4M0S1MQB5NAJZ6JV6P8\0{\"v\":2,\"case\":\"C01M8RDA4M0S1MQB5NAJZ6JV6P8\",\"action\":\"CLOSED\","
            + "\"state\":\"CLOSED\",\"at\":\"2026-12-01T09:00:00Z\",\"actor\":{\"kind\":\"OPERATOR\",\"id\":\"op1\"},"
            + "\"drill\":false,\"details\":{\"summary\":\"handled\"}}"
            + "C01M8RDA4M0S1MQB5NAJZ6JV6P8\0{\"v\":2,\"case\":\"C01M8RDA4M0S1MQB5NAJZ6JV6P8\",\"action\":\"ARCHIVED\","
            + "\"state\":\"ARCHIVED\",\"at\":\"2026-12-01T09:00:00Z\",\"actor\":{\"kind\":\"OPERATOR\",\"id\":\"op1\"},"
            + "\"drill\":false}"
            + "pipeline/open-cases\0{\"v\":1,\"from\":1,\"eventsFrom\":1,\"cases\":[[1],[2]],\"arming\":[]}")
            .getBytes(StandardCharsets.UTF_8);

    /** Per hash of four bytes, the last dictionary offset with it (-1 none); {@link #DICT_PREV} chains earlier ones. */
    private static final int[] DICT_HEAD = new int[1 << HASH_BITS];
    private static final int[] DICT_PREV = new int[DICTIONARY.length];

    static {
        Arrays.fill(DICT_HEAD, -1);
        for (int i = 0; i + MIN_MATCH <= DICTIONARY.length; i++) {
            int h = hash(DICTIONARY, i);
            DICT_PREV[i] = DICT_HEAD[h];
            DICT_HEAD[h] = i;
        }
    }

    private Packing() {
    }

    private static int hash(byte[] b, int i) {
        int v = (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
        return (v * 0x9E3779B1) >>> (32 - HASH_BITS);
    }

    /**
     * Packs raw bytes.
     *
     * @param raw the bytes (subject and payload), at most {@link #MAX_RAW}
     * @param len how many of them
     * @return the packed form
     */
    public static byte[] pack(byte[] raw, int len) {
        if (len > MAX_RAW) {
            throw new IllegalArgumentException("too long to pack: " + len);
        }
        byte[] out = new byte[5 + len + len / 128 + 1];
        int o = putVarint(out, 0, len);
        int[] head = new int[256];
        Arrays.fill(head, -1);
        int[] prev = new int[len];
        int literalStart = 0;
        int i = 0;
        int d = DICTIONARY.length;
        while (i < len) {
            int bestLen = 0;
            int bestDist = 0;
            if (i + MIN_MATCH <= len) {
                int h = hash(raw, i);
                // in the record itself (nearest first)
                int tries = CHAIN;
                for (int c = head[h & 0xFF]; c >= 0 && tries-- > 0; c = prev[c]) {
                    int m = matchLength(raw, c, raw, i, len);
                    if (m > bestLen) {
                        bestLen = m;
                        bestDist = i - c;
                    }
                }
                tries = CHAIN;
                for (int c = DICT_HEAD[h]; c >= 0 && tries-- > 0 && bestLen < MAX_MATCH; c = DICT_PREV[c]) {
                    int m = matchLength(DICTIONARY, c, raw, i, len);
                    if (m > bestLen && d - c + i <= 0xFFFF) {
                        bestLen = m;
                        bestDist = d - c + i;
                    }
                }
                prev[i] = head[h & 0xFF];
                head[h & 0xFF] = i;
            }
            if (bestLen >= MIN_MATCH) {
                o = literals(raw, literalStart, i, out, o);
                out[o++] = (byte) (0x80 | (bestLen - MIN_MATCH));
                out[o++] = (byte) (bestDist >>> 8);
                out[o++] = (byte) bestDist;
                for (int k = 1; k < bestLen && i + k + MIN_MATCH <= len; k++) {
                    int h = hash(raw, i + k) & 0xFF;
                    prev[i + k] = head[h];
                    head[h] = i + k;
                }
                i += bestLen;
                literalStart = i;
            } else {
                i++;
            }
        }
        o = literals(raw, literalStart, len, out, o);
        return Arrays.copyOf(out, o);
    }

    /** Length of the common run of {@code a[ai..]} and {@code b[bi..blen)}, at most {@link #MAX_MATCH}. */
    private static int matchLength(byte[] a, int ai, byte[] b, int bi, int blen) {
        int max = Math.min(MAX_MATCH, Math.min(a == b ? blen - bi : a.length - ai, blen - bi));
        int n = 0;
        while (n < max && a[ai + n] == b[bi + n]) {
            n++;
        }
        return n;
    }

    private static int literals(byte[] raw, int from, int to, byte[] out, int o) {
        while (from < to) {
            int n = Math.min(128, to - from);
            out[o++] = (byte) (n - 1);
            System.arraycopy(raw, from, out, o, n);
            o += n;
            from += n;
        }
        return o;
    }

    private static int putVarint(byte[] out, int o, int v) {
        while ((v & ~0x7F) != 0) {
            out[o++] = (byte) (0x80 | (v & 0x7F));
            v >>>= 7;
        }
        out[o++] = (byte) v;
        return o;
    }

    /**
     * Unpacks what {@link #pack} made.
     *
     * @param in  the bytes
     * @param off where the packed form starts
     * @param len its length
     * @return the raw bytes
     * @throws IllegalArgumentException if the bytes are not a valid packed form (a frame whose CRC matched but whose
     *                                  packing is wrong: a bug, never silently wrong data)
     */
    public static byte[] unpack(byte[] in, int off, int len) {
        int end = off + len;
        int i = off;
        int rawLen = 0;
        for (int shift = 0;; shift += 7) {
            if (i >= end || shift > 28) {
                throw new IllegalArgumentException("packed record: bad length");
            }
            int b = in[i++];
            rawLen |= (b & 0x7F) << shift;
            if (b >= 0) {
                break;
            }
        }
        if (rawLen < 0 || rawLen > MAX_RAW) {
            throw new IllegalArgumentException("packed record: length " + rawLen);
        }
        byte[] out = new byte[rawLen];
        int o = 0;
        int d = DICTIONARY.length;
        while (i < end) {
            int t = in[i++] & 0xFF;
            if (t < 0x80) {
                int n = t + 1;
                if (i + n > end || o + n > rawLen) {
                    throw new IllegalArgumentException("packed record: literal run past the end");
                }
                System.arraycopy(in, i, out, o, n);
                i += n;
                o += n;
            } else {
                int n = (t & 0x7F) + MIN_MATCH;
                if (i + 2 > end || o + n > rawLen) {
                    throw new IllegalArgumentException("packed record: copy past the end");
                }
                int dist = (in[i] & 0xFF) << 8 | (in[i + 1] & 0xFF);
                i += 2;
                int src = o - dist;
                if (dist == 0 || src < -d) {
                    throw new IllegalArgumentException("packed record: bad distance " + dist);
                }
                for (int k = 0; k < n; k++, src++) {
                    out[o++] = src < 0 ? DICTIONARY[d + src] : out[src];
                }
            }
        }
        if (o != rawLen) {
            throw new IllegalArgumentException("packed record: " + o + " bytes, expected " + rawLen);
        }
        return out;
    }
}
