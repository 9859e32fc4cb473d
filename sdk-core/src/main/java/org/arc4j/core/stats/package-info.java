/**
 * Service quality statistics (GA 1383-2017 服务质量; 运行维护): missed alarms, false alarm rate, 24 h repair rate
 * and satisfaction for any period ({@link org.arc4j.core.stats.QualityReport}), daily operating statistics,
 * monthly fault classification, and the capacity helpers ({@link org.arc4j.core.stats.Capacity}). Drills are
 * never counted. {@link org.arc4j.core.stats.QualityLedger} collects the inputs.
 */
package org.arc4j.core.stats;
