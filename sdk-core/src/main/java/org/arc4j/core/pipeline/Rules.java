package org.arc4j.core.pipeline;

import java.util.List;
import java.util.Optional;
import org.arc4j.core.event.Category;

/**
 * The rules a centre configures as data: forwarding, linkage and action plans (GA 1383 业务功能: 事件转发设置、
 * 事件联动设置; 报警处置预案). Immutable and thread-safe.
 *
 * @param forwarding the forwarding rules, all applied
 * @param linkage    the linkage rules, all applied
 * @param plans      the action plans; the first exact match of category and severity wins, then the first
 *                   plan for the category with any severity
 */
public record Rules(List<ForwardingRule> forwarding, List<LinkageRule> linkage, List<ActionPlan> plans) {
    /** No rules at all. */
    public static final Rules NONE = new Rules(List.of(), List.of(), List.of());

    /** Copies the lists. */
    public Rules {
        forwarding = List.copyOf(forwarding);
        linkage = List.copyOf(linkage);
        plans = List.copyOf(plans);
    }

    /**
     * The action plan for a case.
     *
     * @param category the category
     * @param severity the severity
     * @return the plan, if one covers it
     */
    public Optional<ActionPlan> planFor(Category category, Severity severity) {
        for (ActionPlan p : plans) {
            if (p.categories().contains(category) && p.severity() == severity) {
                return Optional.of(p);
            }
        }
        for (ActionPlan p : plans) {
            if (p.categories().contains(category) && p.severity() == null) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
