package org.arc4j.core.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A fault of a front-end device or of the platform, from report to repair (GA 1383 运行维护: 前端设备修复时间
 * 按照合同约定，未约定时小于等于24h; 服务平台修复时间小于等于12h).
 *
 * @param id             the ticket id
 * @param openedAt       when the fault was reported
 * @param classification its class, for the monthly fault classification (e.g. {@code communication},
 *                       {@code detector}, {@code power})
 * @param platform       true for a fault of the centre's platform, false for a front-end device
 * @param closedAt       when it was repaired, or null while open
 */
public record FaultTicket(String id, Instant openedAt, String classification, boolean platform, Instant closedAt) {
    /** Validates the parts. */
    public FaultTicket {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(openedAt, "openedAt");
        Objects.requireNonNull(classification, "classification");
        if (closedAt != null && closedAt.isBefore(openedAt)) {
            throw new IllegalArgumentException("closed before opened: " + id);
        }
    }

    /** @return true when repaired within 24 h of the report (the 24 h repair rate's numerator) */
    public boolean repairedWithin24h() {
        return closedAt != null && Duration.between(openedAt, closedAt).compareTo(Duration.ofHours(24)) <= 0;
    }
}
