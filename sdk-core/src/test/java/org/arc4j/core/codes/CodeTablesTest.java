package org.arc4j.core.codes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CodeTablesTest {

    @Test
    void tablesMeetTheMinimumSizes() {
        assertThat(CodeTables.contactId().size()).isGreaterThanOrEqualTo(250);
        assertThat(CodeTables.sia().size()).isGreaterThanOrEqualTo(300);
    }

    @ParameterizedTest(name = "Contact ID {0} is {1}")
    @CsvSource({
        "100, MEDICAL", "110, FIRE", "120, EMERGENCY", "121, EMERGENCY", "122, EMERGENCY", "130, INTRUSION",
        "137, TAMPER", "301, DEVICE_FAULT", "302, DEVICE_FAULT", "350, COMMUNICATION", "401, OPEN_CLOSE",
        "570, BYPASS", "602, TEST"
    })
    void contactIdSpotChecks(String code, Category category) {
        CodeDefinition d = CodeTables.contactId().find(code).orElseThrow();
        assertThat(d.category()).isEqualTo(category);
        assertThat(d.priority()).isEqualTo(category.priority());
        assertThat(d.description()).isNotBlank();
    }

    @ParameterizedTest(name = "SIA {0} is {1}")
    @CsvSource({
        "BA, INTRUSION, ALARM", "BR, INTRUSION, RESTORE", "FA, FIRE, ALARM", "PA, EMERGENCY, ALARM",
        "HA, EMERGENCY, ALARM", "TA, TAMPER, ALARM", "OP, OPEN_CLOSE, EVENT", "CL, OPEN_CLOSE, EVENT",
        "AT, DEVICE_FAULT, ALARM", "YT, DEVICE_FAULT, ALARM", "RP, TEST, EVENT", "BB, BYPASS, ALARM"
    })
    void siaSpotChecks(String code, Category category, CodeKind kind) {
        CodeDefinition d = CodeTables.sia().find(code).orElseThrow();
        assertThat(d.category()).isEqualTo(category);
        assertThat(d.kind()).isEqualTo(kind);
    }

    @Test
    void alarmsAndRestoresAreRelated() {
        CodeTable sia = CodeTables.sia();
        assertThat(sia.restores("BA", "BR")).isTrue();
        assertThat(sia.restores("BA", "BH")).isTrue();
        assertThat(sia.restores("FA", "FR")).isTrue();
        assertThat(sia.restores("TA", "TR")).isTrue();
        assertThat(sia.restores("AT", "AR")).isTrue();
        assertThat(sia.restores("BA", "FR")).isFalse();
        assertThat(sia.restores("BA", "BA")).isFalse();
        assertThat(sia.pairOf("OP")).contains("CL");
        assertThat(sia.pairOf("CL")).contains("OP");
        assertThat(CodeTables.contactId().restores("130", "130")).isTrue();
        assertThat(CodeTables.contactId().find("130").orElseThrow().pair()).isEqualTo("BA");
        // every restore names an alarm of the table, and every alarm's pair exists
        for (CodeDefinition d : sia.all()) {
            if (d.kind() != CodeKind.EVENT && d.pair() != null) {
                assertThat(sia.find(d.pair())).as("pair of %s", d.code()).isPresent();
            }
            if (d.kind() == CodeKind.RESTORE) {
                assertThat(sia.restores(d.pair(), d.code())).as("restore %s", d.code()).isTrue();
            }
        }
    }

    @Test
    void unknownCodesAreKeptAsUnknownNotDropped() {
        assertThat(CodeTables.sia().categoryOf("QQ")).isEqualTo(Category.UNKNOWN_CODE);
        assertThat(CodeTables.contactId().categoryOf("999")).isNotNull();
        assertThat(CodeTables.contactId().categoryOf("789")).isEqualTo(Category.UNKNOWN_CODE);
        assertThat(CodeTables.sia().find("ba")).isPresent();
        assertThat(CodeTables.sia().categoryOf(null)).isEqualTo(Category.UNKNOWN_CODE);
    }

    @Test
    void loaderNamesTheBadLine() {
        String tsv = "code\tcategory\taddress\tsia\tdescription\n130\tINTRUSION\tZONE\tBA\tBurglary\n"
                + "13X\tINTRUSION\tZONE\tBA\tBroken\n";
        assertThatThrownBy(() -> CodeTable.load(CodeSystem.CONTACT_ID,
                new ByteArrayInputStream(tsv.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("line 3").hasMessageContaining("13X");
        String dup = "code\tcategory\taddress\tsia\tdescription\n130\tINTRUSION\tZONE\tBA\ta\n130\tFIRE\tZONE\t-\tb\n";
        assertThatThrownBy(() -> CodeTable.load(CodeSystem.CONTACT_ID,
                new ByteArrayInputStream(dup.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("duplicate code 130");
    }
}
