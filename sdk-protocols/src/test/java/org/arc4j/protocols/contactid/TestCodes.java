package org.arc4j.protocols.contactid;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.arc4j.core.codes.CodeTable;
import org.arc4j.core.event.CodeSystem;

/** The small Contact ID code table the tests use instead of the shipped one. */
public final class TestCodes {
    private TestCodes() {
    }

    /** @return the table from {@code vectors/contactid/test-codes.tsv} */
    public static CodeTable table() {
        try (InputStream in = TestCodes.class.getResourceAsStream("/vectors/contactid/test-codes.tsv")) {
            return CodeTable.load(CodeSystem.CONTACT_ID, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
