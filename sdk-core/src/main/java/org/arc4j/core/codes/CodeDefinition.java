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
 * @param role        what arc4j does specially with it (closing, opening, low battery), {@link CodeRole#NONE}
 *                    for most codes
 */
public record CodeDefinition(CodeSystem system, String code, Category category, AddressKind address,
                             CodeKind kind, String pair, String description, CodeRole role) {
    /** Validates the required parts. */
    public CodeDefinition {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(role, "role");
    }

    /**
     * A definition without a special role, as in a table without the {@code role} column.
     *
     * @param system      the table it belongs to
     * @param code        the code
     * @param category    its category
     * @param address     what the number reported with it identifies
     * @param kind        alarm, restore or plain event
     * @param pair        the paired code, or null
     * @param description a short English description
     */
    public CodeDefinition(CodeSystem system, String code, Category category, AddressKind address, CodeKind kind,
                          String pair, String description) {
        this(system, code, category, address, kind, pair, description, CodeRole.NONE);
    }

    /** @return the default priority of the category, 1 most urgent */
    public int priority() {
        return category.priority();
    }
}
