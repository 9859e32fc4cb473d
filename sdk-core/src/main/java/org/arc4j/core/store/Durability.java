package org.arc4j.core.store;

/**
 * When the journal completes an append. GA 1383 (报警接收与处置, 服务质量: missed alarms 0) needs every acknowledged
 * alarm to survive a power loss, hence {@link #FORCED} is the default.
 */
public enum Durability {
    /**
     * An append completes only after its bytes were written and {@code FileChannel.force} returned: the record
     * survives a process crash and a power loss. Appends queued together share one force (group commit).
     */
    FORCED,
    /**
     * An append completes once its bytes are in the operating system's page cache; the journal forces only
     * when it seals a segment and on close. The record survives a crash of the process (the JVM, SIGKILL) but
     * <b>not</b> a power loss or a kernel crash: the records of the last moments before one may be lost even
     * though the panel heard ACK. Only for integrators who accept that (for example behind a UPS with a
     * controlled shutdown, or for test labs); never the default.
     */
    OS_BUFFERED
}
