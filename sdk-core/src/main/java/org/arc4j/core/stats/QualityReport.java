package org.arc4j.core.stats;

import java.time.Instant;
import java.util.OptionalDouble;

/**
 * GA 1383-2017's service quality metrics (服务质量) for a period, drills excluded.
 *
 * @param from              start of the period, inclusive
 * @param to                end of the period, exclusive
 * @param missedAlarms      警情漏报次数 (must be 0)
 * @param policeForwards    alarms forwarded to police (传送到公安机关的报警总次数)
 * @param falseAlarms       forwarded alarms marked false (警情误报次数)
 * @param faults            fault tickets opened in the period (故障总次数)
 * @param repairedIn24h     of those, repaired within 24 h
 * @param satisfaction      the mean customer satisfaction score (0–100), empty when nobody was surveyed
 * @param surveyed          how many scores were recorded
 */
public record QualityReport(Instant from, Instant to, long missedAlarms, long policeForwards, long falseAlarms,
                            long faults, long repairedIn24h, OptionalDouble satisfaction, long surveyed) {

    /** @return 警情误报率 = false alarms / police forwards × 100 %, 0 when nothing was forwarded */
    public double falseAlarmRatePercent() {
        return policeForwards == 0 ? 0 : 100.0 * falseAlarms / policeForwards;
    }

    /** @return 24h故障修复率 = repaired within 24 h / faults × 100 %, 100 when there were no faults */
    public double repairRate24hPercent() {
        return faults == 0 ? 100 : 100.0 * repairedIn24h / faults;
    }

    /**
     * Whether the period meets GA 1383's targets: no missed alarm, false alarm rate ≤ 1 %, 24 h repair rate
     * 100 %, satisfaction ≥ 80 (when anyone was surveyed).
     *
     * @return true when all are met
     */
    public boolean meetsGa1383() {
        return missedAlarms == 0 && falseAlarmRatePercent() <= 1.0 && repairedIn24h == faults
                && (satisfaction.isEmpty() || satisfaction.getAsDouble() >= 80);
    }
}
