package org.arc4j.core.codes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Qualifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The lookups every other class asks instead of listing codes itself: arming, low battery, tests, restores. */
class CodeRolesTest {

    private static Set<String> withRole(CodeRole role) {
        return CodeTables.sia().all().stream().filter(d -> d.role() == role).map(CodeDefinition::code)
                .collect(Collectors.toSet());
    }

    @Test
    void siaClosingsAreTheAreaArmingsAndOpeningsTheDisarmings() {
        assertThat(withRole(CodeRole.CLOSING))
                .containsExactlyInAnyOrder("CA", "CB", "CE", "CF", "CG", "CJ", "CK", "CL", "CP", "CQ", "CS");
        assertThat(withRole(CodeRole.OPENING))
                .containsExactlyInAnyOrder("OA", "OB", "OG", "OH", "OJ", "OK", "OL", "OP", "OQ", "OR", "OS");
        // a closing's opposite, where the table names one, is an opening
        for (String c : withRole(CodeRole.CLOSING)) {
            CodeTables.sia().pairOf(c).ifPresent(o -> assertThat(CodeTables.sia().role(o)).as(c)
                    .isEqualTo(CodeRole.OPENING));
        }
    }

    @ParameterizedTest(name = "SIA {0} -> {1}")
    @CsvSource({
        "CL, CLOSING", "cl, CLOSING", "CA, CLOSING", "OP, OPENING", "OR, OPENING",
        // failed, late or delinquent closings, a single point, a cancel: the site's state does not change
        "CI, NONE", "CD, NONE", "CC, NONE", "CT, NONE", "CZ, NONE", "OT, NONE", "OI, NONE", "OC, NONE",
        "BA, NONE", "QQ, NONE"
    })
    void siaArmingIsTheRoleWhateverTheQualifier(String code, CodeRole expected) {
        for (Qualifier q : Qualifier.values()) {
            assertThat(CodeTables.armingOf(CodeSystem.SIA, code, q)).isEqualTo(expected);
        }
        assertThat(CodeTables.sia().armingOf(code, null)).isEqualTo(expected);
    }

    @Test
    void contactIdArmingIsTheQualifierOfAnOpenCloseCode() {
        assertThat(CodeTables.armingOf(CodeSystem.CONTACT_ID, "401", Qualifier.RESTORE)).isEqualTo(CodeRole.CLOSING);
        assertThat(CodeTables.armingOf(CodeSystem.CONTACT_ID, "401", Qualifier.NEW_EVENT))
                .isEqualTo(CodeRole.OPENING);
        assertThat(CodeTables.armingOf(CodeSystem.CONTACT_ID, "407", Qualifier.RESTORE)).isEqualTo(CodeRole.CLOSING);
        assertThat(CodeTables.armingOf(CodeSystem.CONTACT_ID, "130", Qualifier.RESTORE)).isEqualTo(CodeRole.NONE);
        assertThat(CodeTables.armingOf(CodeSystem.CONTACT_ID, "789", Qualifier.RESTORE)).isEqualTo(CodeRole.NONE);
        // Ademco High Speed has no table and carries openings and closings as Contact ID does
        assertThat(CodeTables.armingOf(CodeSystem.ADEMCO_LEGACY, "4/1", Qualifier.RESTORE))
                .isEqualTo(CodeRole.CLOSING);
        assertThat(CodeTables.armingOf(CodeSystem.ADEMCO_LEGACY, "2/1", Qualifier.NEW_EVENT))
                .isEqualTo(CodeRole.OPENING);
    }

    @ParameterizedTest(name = "{0} {1} low battery: {2}")
    @CsvSource({
        "CONTACT_ID, 302, true", "CONTACT_ID, 309, true", "CONTACT_ID, 311, true", "CONTACT_ID, 338, true",
        "CONTACT_ID, 384, true", "CONTACT_ID, 301, false", "CONTACT_ID, 130, false",
        "SIA, YT, true", "SIA, XT, true", "SIA, yt, true", "SIA, YR, false", "SIA, AT, false",
        "GB28181, 302, false"
    })
    void lowBatteryCodes(CodeSystem system, String code, boolean expected) {
        assertThat(CodeTables.isLowBattery(system, code)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1} test: {2}")
    @CsvSource({
        "CONTACT_ID, 602, true", "CONTACT_ID, 601, true", "CONTACT_ID, 130, false",
        "SIA, RP, true", "SIA, TX, true", "SIA, BA, false", "ONVIF, RP, false"
    })
    void testCodes(CodeSystem system, String code, boolean expected) {
        assertThat(CodeTables.isTest(system, code)).isEqualTo(expected);
    }

    @Test
    void aRestoreNamesTheAlarmItEnds() {
        assertThat(CodeTables.sia().alarmOf("BR")).isEqualTo("BA");
        assertThat(CodeTables.sia().alarmOf("FR")).isEqualTo("FA");
        assertThat(CodeTables.sia().alarmOf("BA")).isEqualTo("BA"); // not a restore: itself
        assertThat(CodeTables.sia().alarmOf("QQ")).isEqualTo("QQ");
        assertThat(CodeTables.contactId().alarmOf("130")).isEqualTo("130");
        assertThat(CodeTables.sia().restores(CodeTables.sia().alarmOf("BR"), "BR")).isTrue();
    }

    @Test
    void theRoleColumnIsOptionalAndChecked() {
        String without = "code\tcategory\taddress\tkind\tpair\tdescription\nCL\tOPEN_CLOSE\tUSER\tEVENT\tOP\tArmed\n";
        CodeTable t = CodeTable.load(CodeSystem.SIA, new ByteArrayInputStream(without.getBytes(StandardCharsets.UTF_8)));
        assertThat(t.role("CL")).isEqualTo(CodeRole.NONE);
        assertThat(t.find("CL").orElseThrow().description()).isEqualTo("Armed");
        String with = "code\tcategory\taddress\tsia\trole\tdescription\n302\tDEVICE_FAULT\tNONE\tYT\tLOW_BATTERY\tLow\n";
        CodeTable cid = CodeTable.load(CodeSystem.CONTACT_ID,
                new ByteArrayInputStream(with.getBytes(StandardCharsets.UTF_8)));
        assertThat(cid.isLowBattery("302")).isTrue();
        assertThat(cid.find("302").orElseThrow().description()).isEqualTo("Low");
        String bad = "code\tcategory\taddress\tkind\tpair\trole\tdescription\nCL\tOPEN_CLOSE\tUSER\tEVENT\tOP\tARMS\tx\n";
        assertThatThrownBy(() -> CodeTable.load(CodeSystem.SIA,
                new ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("line 2").hasMessageContaining("ARMS");
    }
}
