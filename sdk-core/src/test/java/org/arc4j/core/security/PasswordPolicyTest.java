package org.arc4j.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.security.internal.WordLists;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The GA 1383 password rules, table-driven: every row is accepted or rejected for a stated rule. */
class PasswordPolicyTest {
    private static final PasswordPolicy POLICY = PasswordPolicy.defaults();
    private static final PersonalData OWNER = new PersonalData("duty07", "Zhang Wei", LocalDate.of(1987, 6, 23),
            "+86 139 5729 4816", "11010519870623471X");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // accepted: long enough, mixed, no pattern, nothing personal
            "Vq7#mLp2xR      | ACCEPTED",
            "gH5!rTz9kW      | ACCEPTED",
            "Bx8$wNq3vE      | ACCEPTED",
            "Lanterns&Ox-57  | ACCEPTED",
            "Mz4@yKe8uP      | ACCEPTED",
            "J9r!Wd2qXs      | ACCEPTED",
            "Hq3%Fz8#Rm      | ACCEPTED",
            "月光Moon#47x     | ACCEPTED",
            "Pine-Cobalt-93  | ACCEPTED",
            "Ww!8tQ2zRe      | ACCEPTED",
            "cRanE9!harbOr   | ACCEPTED",
            "7Yg^Lw2$Nd      | ACCEPTED",
            // minimum length
            "Ab3$xy          | MIN_LENGTH",
            "Qz9!k           | MIN_LENGTH",
            "Rb7!            | MIN_LENGTH",
            // character mix
            "mvtzqkplrwgh    | CHARACTER_MIX",
            "MVTZQKPLRW82    | CHARACTER_MIX",
            "58203947261     | CHARACTER_MIX",
            "glrt-vbzm-kqwx  | CHARACTER_MIX",
            // user name
            "duty07          | SAME_AS_USERNAME",
            "Duty07!Xq#      | SAME_AS_USERNAME",
            "70ytud#Qx9      | SAME_AS_USERNAME",
            // factory defaults of panels, cameras and recorders
            "meinsm          | FACTORY_DEFAULT",
            "888888          | FACTORY_DEFAULT",
            "112233          | FACTORY_DEFAULT",
            "4112            | FACTORY_DEFAULT",
            "5555            | FACTORY_DEFAULT",
            "ubnt            | FACTORY_DEFAULT",
            "service         | FACTORY_DEFAULT",
            "1111111         | FACTORY_DEFAULT",
            "Admin           | FACTORY_DEFAULT",
            // ascending or descending runs
            "Xk!12345m       | SEQUENCE",
            "Pw#9876zQ       | SEQUENCE",
            "abcdE#7q9       | SEQUENCE",
            "Zyxw!4Qm8       | SEQUENCE",
            "Mq3!lmnoP       | SEQUENCE",
            "Rt#6543Kp       | SEQUENCE",
            // the same character more than twice in a row
            "Qz!7aaaM2x      | REPEATED_CHARACTERS",
            "Rt#5111xKp      | REPEATED_CHARACTERS",
            "Zz9$kkkW        | REPEATED_CHARACTERS",
            "Hm!Q000vX7      | REPEATED_CHARACTERS",
            // keyboard walks
            "1qaz2wsx        | KEYBOARD_WALK",
            "1qaz@WSX        | KEYBOARD_WALK",
            "!QAZ2wsx        | KEYBOARD_WALK",
            "Qwerty!93       | KEYBOARD_WALK",
            "Asdf#5821       | KEYBOARD_WALK",
            "Zxcv$7Q6m       | KEYBOARD_WALK",
            "Poiu#7Zm        | KEYBOARD_WALK",
            "Mnbv#82Zq       | KEYBOARD_WALK",
            "Tgb#6yhnZ       | KEYBOARD_WALK",
            // common leaked passwords, as they are or dressed up
            "password        | COMMON_PASSWORD",
            "Password1       | COMMON_PASSWORD",
            "P@ssw0rd!       | COMMON_PASSWORD",
            "iloveyou        | COMMON_PASSWORD",
            "Sunshine2024!   | COMMON_PASSWORD",
            "Dragon#2023     | COMMON_PASSWORD",
            "letmein1        | COMMON_PASSWORD",
            "trustno1        | COMMON_PASSWORD",
            "Football!8      | COMMON_PASSWORD",
            "princess        | COMMON_PASSWORD",
            // derived from the owner's own data
            "Qz!19870623x    | PERSONAL_DATA",
            "Wm#870623Kp     | PERSONAL_DATA",
            "Lx!0623Hq#r     | PERSONAL_DATA",
            "Xt$2306Kq!m     | PERSONAL_DATA",
            "Ke#1987Zq!x     | PERSONAL_DATA",
            "Bq!06231987w    | PERSONAL_DATA",
            "Jk#294816Xm     | PERSONAL_DATA",
            "Jk#13957294816x | PERSONAL_DATA",
            "Rq!23471Xmz     | PERSONAL_DATA",
            "ZhangWei#2x9    | PERSONAL_DATA",
            "Wei!Zhang7q     | PERSONAL_DATA",
            "Zhang#8qTz      | PERSONAL_DATA",
    })
    void operatorPasswords(String password, String expected) {
        PasswordCheck check = POLICY.check(Secret.ofUtf8(password), OWNER);
        if (expected.equals("ACCEPTED")) {
            assertThat(check.violations()).as(password).isEmpty();
            assertThat(check.accepted()).isTrue();
        } else {
            assertThat(check.rules()).as(password).contains(PasswordRule.valueOf(expected));
            assertThat(check.accepted()).isFalse();
        }
        for (PasswordViolation v : check.violations()) {
            assertThat(v.explanation()).as("explanation must not repeat the password").doesNotContain(password);
        }
    }

    @Test
    void rejectionsNameEveryBrokenRule() {
        PasswordCheck check = POLICY.check(Secret.ofUtf8("888888"), OWNER);
        assertThat(check.rules()).containsExactlyInAnyOrder(PasswordRule.MIN_LENGTH, PasswordRule.CHARACTER_MIX,
                PasswordRule.REPEATED_CHARACTERS, PasswordRule.COMMON_PASSWORD, PasswordRule.FACTORY_DEFAULT);
    }

    @Test
    void idNumberYieldsTheBirthdayWhenNoneIsOnFile() {
        PersonalData noBirthday = new PersonalData("duty08", null, null, null, "11010519870623471X");
        assertThat(POLICY.check(Secret.ofUtf8("Qz!870623xK"), noBirthday).rules())
                .containsExactly(PasswordRule.PERSONAL_DATA);
    }

    @Test
    void chineseNameIsRecognised() {
        PersonalData owner = new PersonalData("op9", "欧阳娜娜", null, null, null);
        assertThat(POLICY.check(Secret.ofUtf8("Qz!7阳娜娜xK"), owner).rules())
                .containsExactly(PasswordRule.PERSONAL_DATA);
        assertThat(POLICY.check(Secret.ofUtf8("Qz!7娜xK#5"), owner).accepted()).isTrue();
    }

    @Test
    void recentPasswordsCannotBeReused() {
        Secret old = Secret.ofUtf8("Vq7#mLp2xR");
        PasswordCheck check = POLICY.check(Secret.ofUtf8("Vq7#mLp2xR"), OWNER, old::equals);
        assertThat(check.rules()).containsExactly(PasswordRule.REUSED);
        assertThat(POLICY.check(Secret.ofUtf8("gH5!rTz9kW"), OWNER, old::equals).accepted()).isTrue();
    }

    @Test
    void maximumAgeForcesAChange() {
        PasswordPolicy p = PasswordPolicy.builder().maxAge(Duration.ofDays(30)).build();
        Instant set = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(p.expired(set, Clock.fixed(set.plus(Duration.ofDays(29)), ZoneOffset.UTC))).isFalse();
        assertThat(p.expired(set, Clock.fixed(set.plus(Duration.ofDays(30)), ZoneOffset.UTC))).isTrue();
        assertThat(PasswordPolicy.defaults().maxAge()).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void shipsAtLeastAThousandLeakedPasswordsAndTheCuratedDefaults() {
        assertThat(WordLists.commonPasswords()).hasSizeGreaterThanOrEqualTo(1000).contains("123456", "qwerty");
        assertThat(WordLists.factoryDefaults()).contains("12345", "admin", "4112", "5555", "meinsm");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "3A7F1C92E05B48D6A1C3F7092B6E8D14 | ACCEPTED",
            "00000000000000000000000000000000 | ALL_ZERO_KEY",
            "000102030405060708090A0B0C0D0E0F | SEQUENTIAL_KEY",
            "0F0E0D0C0B0A09080706050403020100 | SEQUENTIAL_KEY",
            "00112233445566778899AABBCCDDEEFF | SEQUENTIAL_KEY",
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF | REPEATED_PATTERN_KEY",
            "0123456789ABCDEF0123456789ABCDEF | REPEATED_PATTERN_KEY",
            "A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5 | REPEATED_PATTERN_KEY",
            "31323334353637383930313233343536 | SEQUENCE",
            "71776572747975696F70383436323139 | KEYBOARD_WALK",
    })
    void deviceKeys(String hex, String expected) {
        PasswordCheck check = POLICY.checkDevice(CredentialKind.DC09_KEY, Credential.of(Secret.ofHex(hex)));
        if (expected.equals("ACCEPTED")) {
            assertThat(check.violations()).isEmpty();
        } else {
            assertThat(check.rules()).as(hex).contains(PasswordRule.valueOf(expected));
        }
    }

    @Test
    void devicePasswordsFollowTheTextRulesButNotCharacterMixOrPersonalData() {
        assertThat(POLICY.checkDevice(CredentialKind.SIP_PASSWORD,
                new Credential("34020000001320000001", Secret.ofUtf8("12345"), Map.of())).rules())
                .contains(PasswordRule.MIN_LENGTH, PasswordRule.FACTORY_DEFAULT, PasswordRule.SEQUENCE);
        assertThat(POLICY.checkDevice(CredentialKind.ONVIF_LOGIN,
                new Credential("admin", Secret.ofUtf8("admin"), Map.of())).rules())
                .contains(PasswordRule.SAME_AS_USERNAME, PasswordRule.FACTORY_DEFAULT);
        assertThat(POLICY.checkDevice(CredentialKind.ONVIF_LOGIN,
                new Credential("admin", Secret.ofUtf8("mvtzqkplrwgh"), Map.of())).accepted()).isTrue();
        assertThat(POLICY.checkDevice(CredentialKind.SERIAL, Credential.of(Secret.ofUtf8("9600,8N1"))).accepted())
                .isTrue();
    }

    @Test
    void tableHasAtLeastSixtyPasswords() throws NoSuchMethodException {
        CsvSource rows = PasswordPolicyTest.class.getDeclaredMethod("operatorPasswords", String.class, String.class)
                .getAnnotation(CsvSource.class);
        assertThat(List.of(rows.value())).hasSizeGreaterThanOrEqualTo(60);
    }
}
