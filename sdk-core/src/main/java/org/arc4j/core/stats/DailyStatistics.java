package org.arc4j.core.stats;

import java.time.LocalDate;

/**
 * The daily operating statistics GA 1383 asks for at least every 24 h (运行维护: 在线数、撤布防数、定时报告异常数、
 * 电池电压过低、设备故障数).
 *
 * @param day                      the day
 * @param online                   devices online at the time of the report
 * @param offline                  devices offline at the time of the report
 * @param armed                    sites armed at the time of the report
 * @param disarmed                 sites disarmed at the time of the report
 * @param periodicReportAnomalies  devices that missed their periodic report (went offline) during the day
 * @param lowBattery               low battery reports during the day
 * @param faults                   device fault, tamper and video fault reports during the day
 */
public record DailyStatistics(LocalDate day, int online, int offline, int armed, int disarmed,
                              long periodicReportAnomalies, long lowBattery, long faults) {
}
