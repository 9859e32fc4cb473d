package org.arc4j.core.pipeline;

import java.util.Objects;
import java.util.Set;
import org.arc4j.core.event.Category;
import org.arc4j.core.sla.ForwardChannel;

/**
 * A forwarding rule (GA 1383 业务功能: 事件转发设置): alarms of these categories are forwarded at once, before an
 * operator verifies them, e.g. fire → police. Drills are never forwarded to police.
 *
 * @param name             the rule's name, recorded as the actor
 * @param categories       the categories it applies to
 * @param keyCustomersOnly true to apply only to key customers
 * @param recipient        who receives the forward, e.g. {@code police-119}
 * @param channel          the channel, which decides the forwarding limit
 * @param police           true when the recipient is the police
 */
public record ForwardingRule(String name, Set<Category> categories, boolean keyCustomersOnly, String recipient,
                             ForwardChannel channel, boolean police) {
    /** Validates and copies. */
    public ForwardingRule {
        Objects.requireNonNull(name, "name");
        categories = Set.copyOf(categories);
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(channel, "channel");
    }

    /**
     * @param category    the case's category
     * @param keyCustomer whether the customer is a key customer
     * @return true when the rule applies
     */
    public boolean matches(Category category, boolean keyCustomer) {
        return categories.contains(category) && (!keyCustomersOnly || keyCustomer);
    }
}
