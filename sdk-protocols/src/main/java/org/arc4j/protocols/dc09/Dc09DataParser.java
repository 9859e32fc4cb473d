package org.arc4j.protocols.dc09;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the data of {@code SIA-DCS} and {@code ADM-CID} frames (DC-09 §5.5.1.7) into {@link SiaDcsData} and
 * {@link AdmCidData}. Never throws on bad input: what cannot be understood is an {@link Invalid} result, which
 * the receiver answers with {@code DUH}.
 *
 * <p>SIA DC-03/DC-04 grammar read here: {@code [#acct|]} then blocks separated by {@code |}: {@code N}
 * (new events) or {@code O} (old events) followed by elements chained with {@code /}, and {@code A} text
 * blocks. An element is any number of modifiers — {@code ri}, {@code id}, {@code pi} with digits, {@code ti}
 * with {@code HH:MM[:SS]} — optionally followed by a two-letter code, its address digits (any number, or
 * none) and a {@code ^text^}. Modifiers stay in force for the following elements of the block, so both
 * {@code Nri1BA503} and {@code Nri1/BA503} give area 1. Tolerated variants (reported unless the parser is
 * strict): the account only in the data block, a data account without {@code #}, an empty data account.
 *
 * <p>Stateless and thread-safe; use {@link #INSTANCE} or {@link #STRICT}.
 */
public final class Dc09DataParser {
    /** The tolerant parser. */
    public static final Dc09DataParser INSTANCE = new Dc09DataParser(false);
    /** The parser that refuses the variants. */
    public static final Dc09DataParser STRICT = new Dc09DataParser(true);

    private final boolean strict;

    private Dc09DataParser(boolean strict) {
        this.strict = strict;
    }

    /** What the parser made of some data. */
    public sealed interface Result permits Sia, Cid, Invalid {
    }

    /**
     * SIA-DCS data read.
     *
     * @param data     the data
     * @param variants the tolerated variants it used
     */
    public record Sia(SiaDcsData data, Set<Dc09Variant> variants) implements Result {
        /** Copies the set. */
        public Sia {
            variants = Collections.unmodifiableSet(variants.isEmpty() ? EnumSet.noneOf(Dc09Variant.class)
                    : EnumSet.copyOf(variants));
        }
    }

    /**
     * ADM-CID data read.
     *
     * @param data     the data
     * @param variants the tolerated variants it used
     */
    public record Cid(AdmCidData data, Set<Dc09Variant> variants) implements Result {
        /** Copies the set. */
        public Cid {
            variants = Collections.unmodifiableSet(variants.isEmpty() ? EnumSet.noneOf(Dc09Variant.class)
                    : EnumSet.copyOf(variants));
        }
    }

    /**
     * Data that cannot be understood.
     *
     * @param reason    what is wrong
     * @param position  where in the data, 0-based
     * @param offending the data from that position on
     */
    public record Invalid(String reason, int position, String offending) implements Result {
    }

    /**
     * Reads a frame's data.
     *
     * @param frame the frame, {@code SIA-DCS} or {@code ADM-CID}
     * @return the data, or what is wrong with it
     */
    public Result parse(Dc09Frame frame) {
        switch (frame.token()) {
            case SIA_DCS:
                return parseSiaDcs(frame.data(), frame.account() == null);
            case ADM_CID:
                return parseAdmCid(frame.data(), frame.account() == null);
            default:
                return new Invalid("no data grammar for " + frame.token().wire(), 0, frame.data());
        }
    }

    /**
     * Reads SIA DC-03/DC-04 data.
     *
     * @param data             the data between the brackets
     * @param headerHasNoAccount true when the frame's header carried no {@code #acct}
     * @return the data, or what is wrong
     */
    public Result parseSiaDcs(String data, boolean headerHasNoAccount) {
        EnumSet<Dc09Variant> variants = EnumSet.noneOf(Dc09Variant.class);
        int[] pos = {0};
        Object acct = account(data, pos, variants, headerHasNoAccount, true);
        if (acct instanceof Invalid) {
            return (Invalid) acct;
        }
        if (strict && !variants.isEmpty()) {
            return new Invalid("strict parsing refuses " + variants, 0, data);
        }
        List<SiaEvent> events = new ArrayList<>(2);
        List<String> texts = new ArrayList<>(1);
        int p = pos[0];
        while (p < data.length()) {
            char f = data.charAt(p);
            int blockEnd = blockEnd(data, p);
            if (f == 'A') {
                texts.add(data.substring(p + 1, blockEnd));
            } else if (f == 'N' || f == 'O') {
                Invalid bad = events(data, p + 1, blockEnd, f == 'O', events);
                if (bad != null) {
                    return bad;
                }
            } else {
                return new Invalid("unknown block type " + f, p, data.substring(p));
            }
            p = blockEnd < data.length() ? blockEnd + 1 : blockEnd;
            if (blockEnd < data.length() && p == data.length()) {
                return new Invalid("empty block after |", blockEnd, data.substring(blockEnd));
            }
        }
        if (events.isEmpty()) {
            return new Invalid("no event in the data", 0, data);
        }
        return new Sia(new SiaDcsData((String) acct, events, texts), variants);
    }

    /** End of the block starting at p: the next '|' outside a ^text^, or the end. */
    private static int blockEnd(String s, int p) {
        boolean inText = false;
        for (int i = p; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '^' && s.charAt(p) != 'A') {
                inText = !inText;
            } else if (c == '|' && !inText) {
                return i;
            }
        }
        return s.length();
    }

    private static Invalid events(String s, int p, int end, boolean old, List<SiaEvent> out) {
        String area = null;
        String user = null;
        String peripheral = null;
        String time = null;
        int before = out.size();
        while (p < end) {
            // modifiers
            while (p + 1 < end && Character.isLowerCase(s.charAt(p))) {
                String m = s.substring(p, p + 2);
                int q = p + 2;
                if (m.equals("ti")) {
                    while (q < end && (isDigit(s.charAt(q)) || s.charAt(q) == ':')) {
                        q++;
                    }
                    String t = s.substring(p + 2, q);
                    if (!t.matches("[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?")) {
                        return new Invalid("malformed ti modifier", p, s.substring(p, end));
                    }
                    time = t;
                } else if (m.equals("ri") || m.equals("id") || m.equals("pi")) {
                    while (q < end && isDigit(s.charAt(q))) {
                        q++;
                    }
                    if (q == p + 2) {
                        return new Invalid("modifier " + m + " without digits", p, s.substring(p, end));
                    }
                    String v = s.substring(p + 2, q);
                    if (m.equals("ri")) {
                        area = v;
                    } else if (m.equals("id")) {
                        user = v;
                    } else {
                        peripheral = v;
                    }
                } else {
                    return new Invalid("unknown modifier " + m, p, s.substring(p, end));
                }
                p = q;
            }
            if (p < end && s.charAt(p) == '/') {
                p++;
                continue;
            }
            if (p >= end) {
                break;
            }
            if (p + 1 >= end || !isUpper(s.charAt(p)) || !isUpper(s.charAt(p + 1))) {
                return new Invalid("no two-letter event code", p, s.substring(p, end));
            }
            String code = s.substring(p, p + 2);
            int q = p + 2;
            while (q < end && isDigit(s.charAt(q))) {
                q++;
            }
            String address = s.substring(p + 2, q);
            String text = null;
            if (q < end && s.charAt(q) == '^') {
                int close = s.indexOf('^', q + 1);
                if (close < 0 || close >= end) {
                    return new Invalid("unterminated ^text^", q, s.substring(q, end));
                }
                text = s.substring(q + 1, close);
                q = close + 1;
            }
            int slash = q;
            while (slash < end && s.charAt(slash) != '/') {
                slash++;
            }
            String trailing = slash > q ? s.substring(q, slash) : null;
            out.add(new SiaEvent(old, code, address, text, area, user, peripheral, time, trailing));
            p = slash < end ? slash + 1 : slash;
        }
        if (out.size() == before) {
            return new Invalid("block without an event code", p, s.substring(Math.min(p, end), end));
        }
        return null;
    }

    /**
     * Reads Contact ID data, {@code [#acct|]QEEE GG ZZZ[/QEEE GG ZZZ…]}.
     *
     * @param data               the data between the brackets
     * @param headerHasNoAccount true when the frame's header carried no {@code #acct}
     * @return the data, or what is wrong
     */
    public Result parseAdmCid(String data, boolean headerHasNoAccount) {
        EnumSet<Dc09Variant> variants = EnumSet.noneOf(Dc09Variant.class);
        int[] pos = {0};
        Object acct = account(data, pos, variants, headerHasNoAccount, false);
        if (acct instanceof Invalid) {
            return (Invalid) acct;
        }
        if (strict && !variants.isEmpty()) {
            return new Invalid("strict parsing refuses " + variants, 0, data);
        }
        List<AdmCidEvent> events = new ArrayList<>(1);
        int p = pos[0];
        while (true) {
            // QEEE GG ZZZ: 11 characters
            if (data.length() - p < 11 || data.charAt(p + 4) != ' ' || data.charAt(p + 7) != ' ') {
                return new Invalid("not QEEE GG ZZZ", p, data.substring(p));
            }
            char q = data.charAt(p);
            String code = data.substring(p + 1, p + 4);
            String group = data.substring(p + 5, p + 7);
            String zone = data.substring(p + 8, p + 11);
            if ((q != '1' && q != '3' && q != '6') || !Dc09Frame.isHex(code) || !Dc09Frame.isHex(group)
                    || !Dc09Frame.isHex(zone)) {
                return new Invalid("not QEEE GG ZZZ", p, data.substring(p));
            }
            events.add(new AdmCidEvent(q - '0', code, group, zone));
            p += 11;
            if (p == data.length()) {
                break;
            }
            if (data.charAt(p) != '/') {
                return new Invalid("unexpected text after a Contact ID event", p, data.substring(p));
            }
            p++;
        }
        return new Cid(new AdmCidData((String) acct, events), variants);
    }

    /** Reads the optional account part; returns the account (or null) or an {@link Invalid}. */
    private static Object account(String data, int[] pos, EnumSet<Dc09Variant> variants, boolean headerHasNoAccount,
                                  boolean sia) {
        int bar = data.indexOf('|');
        if (data.startsWith("#")) {
            if (bar < 0) {
                return new Invalid("data account without |", 0, data);
            }
            String a = data.substring(1, bar);
            if (a.isEmpty() || a.length() > 16 || !Dc09Frame.isHex(a)) {
                return new Invalid("data account is not 1-16 hex digits", 0, data.substring(0, bar));
            }
            pos[0] = bar + 1;
            if (headerHasNoAccount) {
                variants.add(Dc09Variant.ACCOUNT_IN_DATA_ONLY);
            }
            return a;
        }
        if (bar == 0) {
            variants.add(Dc09Variant.EMPTY_DATA_ACCOUNT);
            pos[0] = 1;
            return null;
        }
        if (bar > 0) {
            String a = data.substring(0, bar);
            // an all-hex first segment is an account; in SIA data a block starts with a letter N, O or A
            // that is not itself a hex digit, except A (text), which a hex account never contains alone
            boolean hex = a.length() <= 16 && Dc09Frame.isHex(a) && !(sia && a.startsWith("A"));
            if (hex) {
                variants.add(Dc09Variant.DATA_ACCOUNT_WITHOUT_HASH);
                if (headerHasNoAccount) {
                    variants.add(Dc09Variant.ACCOUNT_IN_DATA_ONLY);
                }
                pos[0] = bar + 1;
                return a;
            }
        }
        pos[0] = 0;
        return null;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }
}
