/**
 * Service level: GA 1383-2017's time limits (报警响应 4/20/5 s; 报警复核 1 min video or audio, 5 min phone; 警情转发
 * 4/20/5 s by channel, 2 min by phone; guard departure 2 min) as an {@link org.arc4j.core.sla.SlaPolicy} a
 * customer's contract may tighten, and {@link org.arc4j.core.sla.SlaBreach}, the event of a missed limit. The
 * timers themselves run in the pipeline on the core {@code Scheduler}.
 */
package org.arc4j.core.sla;
