package org.arc4j.core.security;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.security.internal.WeakPatterns;
import org.arc4j.core.security.internal.WordLists;

/**
 * The password and key rules of GA 1383 安全性、可靠性: no weak passwords or keys ("技术系统运行的密钥或编码不应是弱口令"),
 * user name and password different, periodic change ("应定期更换"), with the note's list of what is weak: factory
 * defaults, ascending or descending digits, the same digit repeated more than twice, and anything derived from the
 * operator's birthday or phone number. Each rejection names its {@link PasswordRule}.
 *
 * <p>Operator passwords ({@link #check}) are checked against every rule; device passwords (SIP, ONVIF) against
 * all but character mix and personal data; binary device keys (DC-09 AES) against the byte patterns
 * {@link PasswordRule#ALL_ZERO_KEY}, {@link PasswordRule#SEQUENTIAL_KEY} and
 * {@link PasswordRule#REPEATED_PATTERN_KEY} (and, when the key is printable text, the text rules).
 *
 * <p>The shipped lists: the 3,546 most common leaked passwords of John the Ripper's {@code password.lst}
 * (Debian {@code john-data}) and a curated list of factory defaults of panels, cameras, NVRs and DVRs (see
 * {@code SOURCES.md} beside them). Immutable and thread-safe. Checking reveals the password as a {@code String}
 * for the duration of the check.
 */
public final class PasswordPolicy {
    private static final Set<String> COMMON = WordLists.commonPasswords();
    private static final Set<String> DEFAULTS = WordLists.factoryDefaults();

    private final int minLength;
    private final int minCharacterClasses;
    private final int deviceMinLength;
    private final int sequenceLimit;
    private final int maxRepeats;
    private final int walkLimit;
    private final Duration maxAge;
    private final int historySize;

    private PasswordPolicy(Builder b) {
        this.minLength = b.minLength;
        this.minCharacterClasses = b.minCharacterClasses;
        this.deviceMinLength = b.deviceMinLength;
        this.sequenceLimit = b.sequenceLimit;
        this.maxRepeats = b.maxRepeats;
        this.walkLimit = b.walkLimit;
        this.maxAge = b.maxAge;
        this.historySize = b.historySize;
    }

    /**
     * The defaults: at least 8 characters of at least 3 classes; runs of 4, more than 2 repeats and walks of 4 keys
     * rejected; a password lives at most 90 days; the last 5 cannot be reused; device passwords at least 8.
     *
     * @return the default policy
     */
    public static PasswordPolicy defaults() {
        return builder().build();
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the maximum age of a password; past it the user must change it */
    public Duration maxAge() {
        return maxAge;
    }

    /** @return how many recent passwords cannot be reused */
    public int historySize() {
        return historySize;
    }

    /** @return the minimum length of an operator password */
    public int minLength() {
        return minLength;
    }

    /**
     * Whether a password set at {@code setAt} has passed the maximum age.
     *
     * @param setAt when it was set
     * @param clock the centre's clock
     * @return true if it must be changed
     */
    public boolean expired(Instant setAt, Clock clock) {
        return !clock.instant().isBefore(setAt.plus(maxAge));
    }

    /**
     * Checks an operator's new password against every rule except reuse.
     *
     * @param candidate the new password
     * @param owner     the owner's data
     * @return the outcome
     */
    public PasswordCheck check(Secret candidate, PersonalData owner) {
        return check(candidate, owner, s -> false);
    }

    /**
     * Checks an operator's new password against every rule.
     *
     * @param candidate    the new password
     * @param owner        the owner's data
     * @param recentlyUsed answers whether a password is one of the owner's recent ones (a hash comparison)
     * @return the outcome
     */
    public PasswordCheck check(Secret candidate, PersonalData owner, Predicate<Secret> recentlyUsed) {
        Objects.requireNonNull(owner, "owner");
        String pw = candidate.revealUtf8();
        List<PasswordViolation> v = new ArrayList<>();
        int length = pw.codePointCount(0, pw.length());
        if (length < minLength) {
            v.add(new PasswordViolation(PasswordRule.MIN_LENGTH, "shorter than " + minLength + " characters"));
        }
        int classes = characterClasses(pw);
        if (classes < minCharacterClasses) {
            v.add(new PasswordViolation(PasswordRule.CHARACTER_MIX, "uses " + classes + " of the 4 character classes"
                    + " (lower case, upper case, digits, others); at least " + minCharacterClasses + " needed"));
        }
        textRules(pw, owner.username(), v);
        personalData(pw, owner, v);
        if (recentlyUsed.test(candidate)) {
            v.add(new PasswordViolation(PasswordRule.REUSED, "used recently (within the last " + historySize + ")"));
        }
        return new PasswordCheck(v);
    }

    /**
     * Checks a device credential: a DC-09 key (or an {@link CredentialKind#OTHER} secret) by its bytes, a SIP or
     * ONVIF password by the text rules, with the credential's user name as the one it must differ from. Serial
     * settings are not checked.
     *
     * @param kind       the credential's kind
     * @param credential the credential
     * @return the outcome
     */
    public PasswordCheck checkDevice(CredentialKind kind, Credential credential) {
        return switch (kind) {
            case DC09_KEY, OTHER -> checkDeviceKey(credential.secret());
            case SIP_PASSWORD, ONVIF_LOGIN -> checkDevicePassword(credential.secret(),
                    credential.username() == null ? "" : credential.username());
            case SERIAL -> PasswordCheck.ACCEPTED;
        };
    }

    /**
     * Checks a device password (GB/T 28181 SIP digest, ONVIF): length, user name, factory defaults, runs, repeats,
     * walks and common passwords.
     *
     * @param candidate the password
     * @param username  the device's user name, or empty
     * @return the outcome
     */
    public PasswordCheck checkDevicePassword(Secret candidate, String username) {
        String pw = candidate.revealUtf8();
        List<PasswordViolation> v = new ArrayList<>();
        if (pw.codePointCount(0, pw.length()) < deviceMinLength) {
            v.add(new PasswordViolation(PasswordRule.MIN_LENGTH, "shorter than " + deviceMinLength + " characters"));
        }
        textRules(pw, username, v);
        return new PasswordCheck(v);
    }

    /**
     * Checks a binary device key (a DC-09 AES key): all zero, bytes in arithmetic progression, or a short pattern
     * repeated; if every byte is printable ASCII, the key is also checked as a device password would be (minus
     * the length rule).
     *
     * @param key the key
     * @return the outcome
     */
    public PasswordCheck checkDeviceKey(Secret key) {
        return key.reveal(bytes -> {
            List<PasswordViolation> v = new ArrayList<>();
            int period = WeakPatterns.repeatPeriod(bytes);
            if (bytes.length == 0 || WeakPatterns.allZero(bytes)) {
                v.add(new PasswordViolation(PasswordRule.ALL_ZERO_KEY, "every byte of the key is zero"));
            } else if (period > 0) {
                v.add(new PasswordViolation(PasswordRule.REPEATED_PATTERN_KEY,
                        "the key repeats a pattern of " + period + (period == 1 ? " byte" : " bytes")));
            }
            if (WeakPatterns.arithmetic(bytes)) {
                v.add(new PasswordViolation(PasswordRule.SEQUENTIAL_KEY, "the key's bytes count up or down"));
            }
            if (printable(bytes)) {
                textRules(new String(bytes, StandardCharsets.US_ASCII), "", v);
            }
            return new PasswordCheck(v);
        });
    }

    private void textRules(String pw, String username, List<PasswordViolation> v) {
        String lower = pw.toLowerCase(Locale.ROOT);
        String user = username.toLowerCase(Locale.ROOT);
        if (!user.isEmpty() && (lower.equals(user)
                || (user.length() >= 3 && (lower.contains(user)
                || lower.contains(new StringBuilder(user).reverse()))))) {
            v.add(new PasswordViolation(PasswordRule.SAME_AS_USERNAME, "equal to or containing the user name"));
        }
        if (DEFAULTS.contains(lower)) {
            v.add(new PasswordViolation(PasswordRule.FACTORY_DEFAULT,
                    "a factory default of panels, cameras or recorders"));
        }
        if (isCommon(lower)) {
            v.add(new PasswordViolation(PasswordRule.COMMON_PASSWORD, "found among the most often leaked"));
        }
        if (WeakPatterns.hasSequence(pw, sequenceLimit)) {
            v.add(new PasswordViolation(PasswordRule.SEQUENCE, "holds " + sequenceLimit
                    + " or more ascending or descending digits or letters"));
        }
        if (WeakPatterns.hasRepeats(pw, maxRepeats)) {
            v.add(new PasswordViolation(PasswordRule.REPEATED_CHARACTERS,
                    "repeats a character more than " + maxRepeats + " times in a row"));
        }
        if (WeakPatterns.hasKeyboardWalk(pw, walkLimit)) {
            v.add(new PasswordViolation(PasswordRule.KEYBOARD_WALK,
                    "holds a walk over " + walkLimit + " or more adjacent keyboard keys"));
        }
    }

    private static boolean isCommon(String lower) {
        if (COMMON.contains(lower)) {
            return true;
        }
        Set<String> variants = new LinkedHashSet<>();
        variants.add(WeakPatterns.unleet(lower));
        variants.add(WeakPatterns.letterCore(lower));
        variants.add(WeakPatterns.letterCore(WeakPatterns.unleet(lower)));
        variants.add(WeakPatterns.unleet(WeakPatterns.letterCore(lower)));
        for (String s : variants) {
            if (s.length() >= 4 && COMMON.contains(s)) {
                return true;
            }
        }
        return false;
    }

    private void personalData(String pw, PersonalData owner, List<PasswordViolation> v) {
        String lower = pw.toLowerCase(Locale.ROOT);
        String digits = WeakPatterns.digits(pw);
        Set<String> found = new LinkedHashSet<>();
        LocalDate birthday = owner.birthday() != null ? owner.birthday() : birthdayFromId(owner.idNumber());
        if (birthday != null) {
            for (String form : WeakPatterns.birthdayForms(birthday)) {
                if (digits.contains(form)) {
                    found.add("birthday");
                    break;
                }
            }
        }
        if (owner.phone() != null) {
            String phone = WeakPatterns.digits(owner.phone());
            String tail = phone.length() > 6 ? phone.substring(phone.length() - 6) : phone;
            if (tail.length() >= 4 && digits.contains(tail)) {
                found.add("phone number");
            }
        }
        if (owner.idNumber() != null) {
            String id = owner.idNumber().strip().toLowerCase(Locale.ROOT);
            String tail = id.length() > 6 ? id.substring(id.length() - 6) : id;
            if (tail.length() >= 4 && lower.contains(tail)) {
                found.add("ID number");
            }
        }
        if (owner.fullName() != null && nameUsed(lower, owner.fullName())) {
            found.add("name");
        }
        if (!found.isEmpty()) {
            v.add(new PasswordViolation(PasswordRule.PERSONAL_DATA, "derived from the owner's " + String.join(", ",
                    found)));
        }
    }

    private static boolean nameUsed(String lower, String fullName) {
        String name = fullName.strip().toLowerCase(Locale.ROOT);
        String compact = name.replaceAll("[\\s.\\-·]+", "");
        if (compact.isEmpty()) {
            return false;
        }
        boolean latin = compact.chars().allMatch(c -> c < 0x80);
        if (!latin) {
            // Chinese names: the whole name, or the given name after a one-character surname
            return lower.contains(compact) || (compact.length() >= 3 && lower.contains(compact.substring(1)));
        }
        if (compact.length() >= 3 && lower.contains(compact)) {
            return true;
        }
        for (String token : name.split("[\\s.\\-·]+")) {
            if (token.length() >= 3 && lower.contains(token)) {
                return true;
            }
        }
        return false;
    }

    private static LocalDate birthdayFromId(String id) {
        // an 18-character resident identity card number (GB 11643) holds the date of birth at positions 7–14
        if (id == null || id.strip().length() != 18) {
            return null;
        }
        try {
            return LocalDate.parse(id.strip().substring(6, 14), DateTimeFormatter.BASIC_ISO_DATE);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static int characterClasses(String pw) {
        boolean lower = false;
        boolean upper = false;
        boolean digit = false;
        boolean other = false;
        for (int i = 0; i < pw.length(); i++) {
            char c = pw.charAt(i);
            if (c >= 'a' && c <= 'z') {
                lower = true;
            } else if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else if (c >= '0' && c <= '9') {
                digit = true;
            } else {
                other = true;
            }
        }
        return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
    }

    private static boolean printable(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0x21 || b > 0x7E) {
                return false;
            }
        }
        return bytes.length > 0;
    }

    /** Builds a policy from the defaults. Not thread-safe. */
    public static final class Builder {
        private int minLength = 8;
        private int minCharacterClasses = 3;
        private int deviceMinLength = 8;
        private int sequenceLimit = 4;
        private int maxRepeats = 2;
        private int walkLimit = 4;
        private Duration maxAge = Duration.ofDays(90);
        private int historySize = 5;

        private Builder() {
        }

        /**
         * @param n minimum operator password length in characters, at least 6
         * @return this builder
         */
        public Builder minLength(int n) {
            if (n < 6) {
                throw new IllegalArgumentException("minimum length below 6: " + n);
            }
            this.minLength = n;
            return this;
        }

        /**
         * @param n how many of the 4 character classes an operator password needs, 1 to 4
         * @return this builder
         */
        public Builder minCharacterClasses(int n) {
            if (n < 1 || n > 4) {
                throw new IllegalArgumentException("character classes must be 1..4: " + n);
            }
            this.minCharacterClasses = n;
            return this;
        }

        /**
         * @param n minimum device password length, at least 4
         * @return this builder
         */
        public Builder deviceMinLength(int n) {
            if (n < 4) {
                throw new IllegalArgumentException("device minimum length below 4: " + n);
            }
            this.deviceMinLength = n;
            return this;
        }

        /**
         * @param n the shortest ascending or descending run rejected, 3 to 6
         * @return this builder
         */
        public Builder sequenceLimit(int n) {
            if (n < 3 || n > 6) {
                throw new IllegalArgumentException("sequence limit must be 3..6: " + n);
            }
            this.sequenceLimit = n;
            return this;
        }

        /**
         * @param n the shortest keyboard walk rejected, 3 to 6
         * @return this builder
         */
        public Builder walkLimit(int n) {
            if (n < 3 || n > 6) {
                throw new IllegalArgumentException("walk limit must be 3..6: " + n);
            }
            this.walkLimit = n;
            return this;
        }

        /**
         * @param age how long a password lives before it must be changed, positive
         * @return this builder
         */
        public Builder maxAge(Duration age) {
            if (age.isNegative() || age.isZero()) {
                throw new IllegalArgumentException("max age must be positive: " + age);
            }
            this.maxAge = age;
            return this;
        }

        /**
         * @param n how many recent passwords cannot be reused, 0 to 24
         * @return this builder
         */
        public Builder historySize(int n) {
            if (n < 0 || n > 24) {
                throw new IllegalArgumentException("history size must be 0..24: " + n);
            }
            this.historySize = n;
            return this;
        }

        /** @return the policy */
        public PasswordPolicy build() {
            return new PasswordPolicy(this);
        }
    }
}
