package org.arc4j.protocols.contactid;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.arc4j.core.codes.CodeDefinition;
import org.arc4j.core.codes.CodeTable;
import org.arc4j.core.codes.CodeTables;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.CodeSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Contact ID messages (SIA DC-05) into {@link AlarmEvent}s: the code system is
 * {@link CodeSystem#CONTACT_ID}, the code the three-digit event code as received, the qualifier the Q digit,
 * partition and zone (or user number) the GG and CCC fields as received, and the category and description come
 * from a Contact ID {@link CodeTable}. A code the table does not know keeps its raw code and gets
 * {@link org.arc4j.core.event.Category#UNKNOWN_CODE}, so nothing a panel sends is dropped. The raw bytes are the
 * sixteen digits in hex notation.
 *
 * <p>The table is injected; by default it is {@link CodeTables#contactId()}, looked up on first use. If that lookup
 * fails (the shipped table is missing from the class path), the mapper logs an error once and goes on with an empty
 * table: every code is then {@code UNKNOWN_CODE}, which the pipeline treats as urgent, rather than an alarm being
 * refused and the panel left retrying. Thread-safe.
 */
public final class ContactIdEvents {
    private static final Logger LOG = LoggerFactory.getLogger(ContactIdEvents.class);
    private final Supplier<CodeTable> tableSource;
    private volatile CodeTable table;

    private ContactIdEvents(Supplier<CodeTable> tableSource) {
        this.tableSource = tableSource;
    }

    /** @return a mapper using the shipped Contact ID table, loaded on first use */
    public static ContactIdEvents withShippedTable() {
        return new ContactIdEvents(CodeTables::contactId);
    }

    /**
     * A mapper using the given table.
     *
     * @param table a {@link CodeSystem#CONTACT_ID} table
     * @return the mapper
     * @throws IllegalArgumentException for a table of another code system
     */
    public static ContactIdEvents withTable(CodeTable table) {
        Objects.requireNonNull(table, "table");
        if (table.system() != CodeSystem.CONTACT_ID) {
            throw new IllegalArgumentException("a Contact ID table is needed, not " + table.system());
        }
        return new ContactIdEvents(() -> table);
    }

    /** @return the code table in use (loading the shipped one if this is the first use) */
    public CodeTable table() {
        CodeTable t = table;
        if (t == null) {
            try {
                t = Objects.requireNonNull(tableSource.get(), "code table");
            } catch (RuntimeException | LinkageError e) {
                LOG.error("Contact ID code table unavailable; every code maps to UNKNOWN_CODE", e);
                t = CodeTable.load(CodeSystem.CONTACT_ID, new ByteArrayInputStream(new byte[0]));
            }
            table = t;
        }
        return t;
    }

    /**
     * The event a message reports.
     *
     * @param message    the message
     * @param origin     where it came from
     * @param receivedAt when its last digit arrived, on the centre's clock
     * @return the event, without id
     */
    public AlarmEvent toEvent(ContactIdMessage message, ContactIdOrigin origin, Instant receivedAt) {
        Optional<CodeDefinition> def = table().find(message.eventCode());
        AlarmEvent.Builder b = AlarmEvent.builder()
                .account(message.account())
                .receiver(origin.receiver())
                .line(origin.line())
                .protocol(origin.protocol())
                .transport(origin.transport())
                .ingress(origin.ingress())
                .link(origin.link())
                .code(CodeSystem.CONTACT_ID, message.eventCode())
                .qualifier(message.qualifier())
                .category(table().categoryOf(message.eventCode()))
                .partition(message.partition())
                .zone(message.zone())
                .receivedAt(receivedAt)
                .raw(message.digits().getBytes(StandardCharsets.US_ASCII));
        def.ifPresent(d -> b.description(d.description()));
        if (message.messageType() != 18) {
            b.extended("messageType", Integer.toString(message.messageType()));
        }
        return b.build();
    }
}
