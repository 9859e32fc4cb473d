/**
 * arc4j GB/T 28181 signalling: SIP over UDP and TCP (transactions, dialogs), MANSCDP, and the centre as an upper
 * platform: device registration with digest authentication (sdk-core's), device authentication by address,
 * keepalive supervision, catalog, alarms, queries, device control and subscriptions. Media sessions and the
 * cascade to an upper platform are not in it yet.
 */
@SuppressWarnings("module") // the standard's name ends in digits
module org.arc4j.gb28181 {
    requires transitive org.arc4j.core;
    requires org.slf4j;
    requires transitive org.arc4j.media;
    requires java.xml;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.handler;
    requires io.netty.codec.http;

    exports org.arc4j.gb28181.sip;
    exports org.arc4j.gb28181.manscdp;
    exports org.arc4j.gb28181.platform;
    exports org.arc4j.gb28181.media;
    exports org.arc4j.gb28181.cascade;
}
