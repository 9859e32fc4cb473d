package org.arc4j.gb28181.cascade;

/** Where a link to an upper platform stands (GB/T 28181-2016 9.1 注册, 9.6 状态信息报送). */
public enum LinkState {
    /** A REGISTER is under way (first one, after a failure, or after lost keepalives). */
    REGISTERING,
    /** Registered: keepalives go up, alarms are sent at once. */
    REGISTERED,
    /** The last registration failed or keepalives went unanswered: waiting before the next attempt. */
    BACKING_OFF,
    /** The cascade was closed. */
    CLOSED
}
