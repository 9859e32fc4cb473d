package org.arc4j.core.pipeline;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.arc4j.core.event.Category;

/**
 * A linkage rule (GA 1383 业务功能: 事件联动设置): alarms of these categories trigger actions at the site, e.g.
 * intrusion at a key customer → {@code lights-on}, {@code start-recording}. The pipeline records each action
 * on the case and publishes a {@link PipelineEvent.LinkageRequested} for the integrator to carry out.
 *
 * @param name             the rule's name
 * @param categories       the categories it applies to
 * @param keyCustomersOnly true to apply only to key customers
 * @param actions          the actions, by the names the integrator's devices understand
 */
public record LinkageRule(String name, Set<Category> categories, boolean keyCustomersOnly, List<String> actions) {
    /** Validates and copies. */
    public LinkageRule {
        Objects.requireNonNull(name, "name");
        categories = Set.copyOf(categories);
        actions = List.copyOf(actions);
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
