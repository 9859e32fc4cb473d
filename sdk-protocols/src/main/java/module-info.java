/**
 * arc4j protocols: SIA DC-09 receiver and transmitter, SIA DC-03/DC-04 data, Ademco Contact ID (codec and
 * PSTN audio), hardware receiver serial input and automation output, and the ONVIF client (device, media,
 * PTZ, relays, events into alarms, WS-Discovery).
 */
module org.arc4j.protocols {
    requires transitive org.arc4j.core;
    requires org.slf4j;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.handler;
    requires io.netty.codec.http;
    requires java.xml;
    requires org.bouncycastle.provider;
    requires com.fazecast.jSerialComm;

    exports org.arc4j.protocols.dc09;
    exports org.arc4j.protocols.audio;
    exports org.arc4j.protocols.contactid;
    exports org.arc4j.protocols.serial;
    exports org.arc4j.protocols.onvif;
}
