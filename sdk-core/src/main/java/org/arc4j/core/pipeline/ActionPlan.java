package org.arc4j.core.pipeline;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.arc4j.core.event.Category;

/**
 * An action plan (GA 1383 报警处置预案): the steps an operator follows for alarms of some categories at a
 * severity, shown with the alarm when it is presented (GA 1383 报警响应: 显示处置预案).
 *
 * @param name       the plan's name
 * @param categories the categories it covers
 * @param severity   the severity it is for, or null for any
 * @param steps      the steps, in order
 */
public record ActionPlan(String name, Set<Category> categories, Severity severity, List<String> steps) {
    /** Validates and copies. */
    public ActionPlan {
        Objects.requireNonNull(name, "name");
        categories = Set.copyOf(categories);
        steps = List.copyOf(steps);
    }
}
