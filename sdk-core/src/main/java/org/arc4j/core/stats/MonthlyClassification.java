package org.arc4j.core.stats;

import java.time.YearMonth;
import java.util.Map;
import org.arc4j.core.event.Category;

/**
 * The fault classification GA 1383 asks for at least every 30 days (运行维护: 对故障进行分类统计，并分析常见设备故障
 * 原因、常见误报故障原因), drills excluded.
 *
 * @param month            the month
 * @param faultsByClass    fault tickets opened, by classification
 * @param falseAlarmCauses false alarms found by verification, by the cause the operator gave
 * @param alarmsByCategory alarm cases received, by category
 */
public record MonthlyClassification(YearMonth month, Map<String, Long> faultsByClass,
                                    Map<String, Long> falseAlarmCauses, Map<Category, Long> alarmsByCategory) {
    /** Copies the maps. */
    public MonthlyClassification {
        faultsByClass = Map.copyOf(faultsByClass);
        falseAlarmCauses = Map.copyOf(falseAlarmCauses);
        alarmsByCategory = Map.copyOf(alarmsByCategory);
    }
}
