package org.arc4j.core.security.internal;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The pattern tests behind {@code PasswordPolicy}: runs, repeats, keyboard walks, birthday forms and the
 * byte patterns of weak device keys. Stateless; all methods are pure functions.
 */
public final class WeakPatterns {
    private static final String SHIFTED = "~!@#$%^&*()_+{}|:\"<>?";
    private static final String UNSHIFTED = "`1234567890-=[]\\;',./";

    private static final List<String> WALKS;

    static {
        List<String> base = List.of(
                "`1234567890-=",
                "qwertyuiop[]\\",
                "asdfghjkl;'",
                "zxcvbnm,./",
                // columns typed top to bottom, one after the other (1qaz2wsx…), and bottom to top (zaq1xsw2…)
                "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/",
                "zaq1xsw2cde3vfr4bgt5nhy6mju7,ki8.lo9/;p0",
                "qazwsxedcrfvtgbyhnujmik,ol.p;/");
        List<String> all = new ArrayList<>();
        for (String s : base) {
            all.add(s);
            all.add(new StringBuilder(s).reverse().toString());
        }
        WALKS = List.copyOf(all);
    }

    private WeakPatterns() {
    }

    /**
     * Whether the text holds a run of at least {@code limit} ascending or descending digits or letters
     * (case-insensitive, letters and digits not mixed in one run).
     *
     * @param text  the text
     * @param limit the shortest run that counts, at least 2
     * @return true if such a run exists
     */
    public static boolean hasSequence(String text, int limit) {
        String s = text.toLowerCase(Locale.ROOT);
        int up = 1;
        int down = 1;
        for (int i = 1; i < s.length(); i++) {
            char a = s.charAt(i - 1);
            char b = s.charAt(i);
            boolean sameClass = (isDigit(a) && isDigit(b)) || (isLetter(a) && isLetter(b));
            up = sameClass && b == a + 1 ? up + 1 : 1;
            down = sameClass && b == a - 1 ? down + 1 : 1;
            if (up >= limit || down >= limit) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether one character occurs more than {@code maxRepeats} times in a row (case-insensitive).
     *
     * @param text       the text
     * @param maxRepeats how many equal neighbours are allowed
     * @return true if exceeded
     */
    public static boolean hasRepeats(String text, int maxRepeats) {
        String s = text.toLowerCase(Locale.ROOT);
        int run = 1;
        for (int i = 1; i < s.length(); i++) {
            run = s.charAt(i) == s.charAt(i - 1) ? run + 1 : 1;
            if (run > maxRepeats) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the text holds a walk of at least {@code limit} adjacent keys of a US keyboard, along a row or a
     * column, forwards or backwards, with or without shift.
     *
     * @param text  the text
     * @param limit the shortest walk that counts
     * @return true if a walk is found
     */
    public static boolean hasKeyboardWalk(String text, int limit) {
        String s = unshift(text.toLowerCase(Locale.ROOT));
        for (int i = 0; i + limit <= s.length(); i++) {
            String window = s.substring(i, i + limit);
            for (String walk : WALKS) {
                if (walk.contains(window)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String unshift(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int k = SHIFTED.indexOf(c);
            b.append(k >= 0 ? UNSHIFTED.charAt(k) : c);
        }
        return b.toString();
    }

    /**
     * Undoes common letter-for-symbol substitutions ({@code p@ssw0rd} → {@code password}).
     *
     * @param lower lower-case text
     * @return the text with substitutions undone
     */
    public static String unleet(String lower) {
        StringBuilder b = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            b.append(switch (c) {
                case '@', '4' -> 'a';
                case '0' -> 'o';
                case '1', '!' -> 'i';
                case '3' -> 'e';
                case '$', '5' -> 's';
                case '7' -> 't';
                default -> c;
            });
        }
        return b.toString();
    }

    /**
     * Strips everything but letters from both ends ({@code !summer2024} → {@code summer}).
     *
     * @param lower lower-case text
     * @return the core, possibly empty
     */
    public static String letterCore(String lower) {
        int from = 0;
        int to = lower.length();
        while (from < to && !Character.isLetter(lower.charAt(from))) {
            from++;
        }
        while (to > from && !Character.isLetter(lower.charAt(to - 1))) {
            to--;
        }
        return lower.substring(from, to);
    }

    /**
     * The digit strings a birthday is commonly written as, four digits or longer: years, month-day and day-month,
     * with two- and four-digit years, padded and unpadded.
     *
     * @param d the date of birth
     * @return the forms, longest first
     */
    public static Set<String> birthdayForms(LocalDate d) {
        String[] patterns = {"yyyyMMdd", "MMddyyyy", "ddMMyyyy", "yyyyMd", "Mdyyyy", "dMyyyy", "yyMMdd", "MMddyy",
                "ddMMyy", "yyyy", "MMdd", "ddMM"};
        Set<String> out = new LinkedHashSet<>();
        for (String p : patterns) {
            out.add(DateTimeFormatter.ofPattern(p, Locale.ROOT).format(d));
        }
        out.removeIf(f -> f.length() < 4);
        return out;
    }

    /**
     * Keeps only the digits of a text.
     *
     * @param s the text
     * @return its digits
     */
    public static String digits(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isDigit(c)) {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Whether all bytes are zero.
     *
     * @param key the key
     * @return true if so
     */
    public static boolean allZero(byte[] key) {
        int acc = 0;
        for (byte b : key) {
            acc |= b;
        }
        return acc == 0;
    }

    /**
     * Whether the bytes step by one constant non-zero difference (00 01 02 …, FF FE FD …, 00 11 22 …).
     *
     * @param key the key, at least 3 bytes to count
     * @return true if so
     */
    public static boolean arithmetic(byte[] key) {
        if (key.length < 3) {
            return false;
        }
        int step = (key[1] - key[0]) & 0xFF;
        if (step == 0) {
            return false;
        }
        for (int i = 2; i < key.length; i++) {
            if (((key[i] - key[i - 1]) & 0xFF) != step) {
                return false;
            }
        }
        return true;
    }

    /**
     * The shortest period with which the bytes repeat, if it is at most half the length.
     *
     * @param key the key
     * @return the period, or 0 if the key is not a repeated pattern
     */
    public static int repeatPeriod(byte[] key) {
        for (int p = 1; p <= key.length / 2; p++) {
            boolean repeats = true;
            for (int i = p; i < key.length && repeats; i++) {
                repeats = key[i] == key[i - p];
            }
            if (repeats) {
                return p;
            }
        }
        return 0;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z';
    }
}
