package org.arc4j.core.store;

/**
 * Retention and compaction of a store (GA 1383 记录存储与播放 retention minimums; 数据维护: data cleaned up while kept
 * intact). Thread-safe; compaction runs beside appends and reads.
 */
public interface Retention {
    /** @return the policy in force */
    RetentionPolicy retentionPolicy();

    /**
     * Removes the records whose retention has ended, judged now. Crash-safe: a crash at any point leaves either
     * the old or the new content of every file, and never loses a record still inside its retention.
     *
     * @return what it did
     * @throws java.io.UncheckedIOException if it failed; nothing kept is lost and it may be run again
     */
    CompactionReport compact();
}
