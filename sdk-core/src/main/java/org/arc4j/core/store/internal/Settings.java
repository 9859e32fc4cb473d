package org.arc4j.core.store.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.testkit.ChannelOpener;
import org.arc4j.core.store.Durability;
import org.arc4j.core.store.RetentionPolicy;
import org.arc4j.core.time.Scheduler;

/**
 * What {@link org.arc4j.core.store.Journal.Builder} collected, as the engine takes it; nullable parts are absent
 * settings (see the builder for the defaults).
 *
 * @param directory           the journal directory
 * @param durability          when appends complete
 * @param segmentBytes        the segment size limit
 * @param queueCapacity       the append queue capacity
 * @param opener              how files are opened
 * @param clock               the clock, or null for the scheduler's or the system's
 * @param metrics             the metrics, or null
 * @param policy              the retention policy
 * @param scheduler           the scheduler, or null
 * @param compactionEvery     the compaction period, or null
 * @param maintenanceExecutor where maintenance runs, or null
 * @param backupRoot          the backup root, or null
 * @param backupEvery         the backup period, or null
 * @param indexInBackground   whether the query index loads on a thread of its own after open
 */
public record Settings(Path directory, Durability durability, long segmentBytes, int queueCapacity,
                       ChannelOpener opener, Clock clock, Metrics metrics, RetentionPolicy policy,
                       Scheduler scheduler, Duration compactionEvery, Executor maintenanceExecutor, Path backupRoot,
                       Duration backupEvery, boolean indexInBackground) {
}
