/**
 * arc4j GB/T 28181: SIP over UDP and TCP, digest authentication, MANSCDP, device registry, catalog, alarms,
 * device control, media sessions and cascade.
 */
@SuppressWarnings("module") // the standard's name ends in digits
module org.arc4j.gb28181 {
    requires transitive org.arc4j.core;
    requires org.arc4j.media;
    requires java.xml;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.handler;

    exports org.arc4j.gb28181.sip;
    exports org.arc4j.gb28181.manscdp;
    exports org.arc4j.gb28181.platform;
}
