package org.arc4j.core.customer;

import java.util.Objects;

/**
 * What the directory knows about the panel behind an event: the enrichment an operator sees with an alarm
 * (GA 1383 报警响应: 客户信息、防区信息、位置信息).
 *
 * @param account  the account
 * @param site     its site
 * @param customer the site's customer
 * @param zone     the zone reported, or null when the event has none or the site does not list it
 */
public record Resolved(Account account, Site site, Customer customer, Zone zone) {
    /** Validates the parts. */
    public Resolved {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(customer, "customer");
    }
}
