package org.arc4j.core.codes;

import java.util.Objects;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;

/**
 * One entry of a code table: what an event code means.
 *
 * @param system      the table it belongs to
 * @param code        the code, e.g. {@code 130} or {@code BA}
 * @param category    its category, which gives its default priority
 * @param address     what the number reported with it identifies
 * @param kind        alarm, restore or plain event
 * @param pair        for an alarm its restore code, for a restore its alarm code, for an open/close code the
 *                    opposite one; null when there is none. For Contact ID, where qualifier 3 marks the
 *                    restore, this holds the SIA equivalent code instead.
 * @param description a short English description
 */
public record CodeDefinition(CodeSystem system, String code, Category category, AddressKind address,
                             CodeKind kind, String pair, String description) {
    /** Validates the required parts. */
    public CodeDefinition {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
    }

    /** @return the default priority of the category, 1 most urgent */
    public int priority() {
        return category.priority();
    }
}
