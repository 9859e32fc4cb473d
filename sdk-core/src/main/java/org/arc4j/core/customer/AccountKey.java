package org.arc4j.core.customer;

import org.arc4j.core.event.AlarmEvent;

/**
 * What identifies a panel at a centre: receiver number, line prefix and account together, as received (real
 * receivers reuse account numbers across lines). Missing parts are empty strings.
 *
 * @param receiver the receiver number (DC-09 {@code R}), or empty
 * @param line     the line prefix (DC-09 {@code L}), or empty
 * @param account  the account number
 */
public record AccountKey(String receiver, String line, String account) {
    /** Replaces missing parts with empty strings. */
    public AccountKey {
        receiver = receiver == null ? "" : receiver;
        line = line == null ? "" : line;
        account = account == null ? "" : account;
    }

    /**
     * The key of the panel that reported an event.
     *
     * @param e the event
     * @return its key
     */
    public static AccountKey of(AlarmEvent e) {
        return new AccountKey(e.receiver(), e.line(), e.account());
    }

    /** @return {@code receiver/line/account}, the form used as a record subject */
    @Override
    public String toString() {
        return receiver + "/" + line + "/" + account;
    }
}
