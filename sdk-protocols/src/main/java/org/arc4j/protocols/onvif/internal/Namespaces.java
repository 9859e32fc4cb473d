package org.arc4j.protocols.onvif.internal;

/** Namespace URIs of SOAP, WS-* and ONVIF that the client writes and reads. */
public final class Namespaces {
    /** SOAP 1.2 envelope. */
    public static final String SOAP12 = "http://www.w3.org/2003/05/soap-envelope";
    /** SOAP 1.1 envelope. */
    public static final String SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/";
    /** WS-Security secext 1.0. */
    public static final String WSSE =
            "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    /** WS-Security utility 1.0. */
    public static final String WSU =
            "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
    /** UsernameToken profile: PasswordDigest type. */
    public static final String PASSWORD_DIGEST =
            "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
    /** SOAP message security: Base64 encoding type of the nonce. */
    public static final String BASE64_BINARY =
            "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";
    /** WS-Addressing 1.0. */
    public static final String WSA = "http://www.w3.org/2005/08/addressing";
    /** ONVIF schema. */
    public static final String TT = "http://www.onvif.org/ver10/schema";
    /** ONVIF device service. */
    public static final String TDS = "http://www.onvif.org/ver10/device/wsdl";
    /** ONVIF media service (ver10). */
    public static final String TRT = "http://www.onvif.org/ver10/media/wsdl";
    /** ONVIF media2 service (ver20). */
    public static final String TR2 = "http://www.onvif.org/ver20/media/wsdl";
    /** ONVIF PTZ service. */
    public static final String TPTZ = "http://www.onvif.org/ver20/ptz/wsdl";
    /** ONVIF event service. */
    public static final String TEV = "http://www.onvif.org/ver10/events/wsdl";
    /** ONVIF device IO service. */
    public static final String TMD = "http://www.onvif.org/ver10/deviceIO/wsdl";
    /** ONVIF error subcodes. */
    public static final String TER = "http://www.onvif.org/ver10/error";
    /** ONVIF topic namespace. */
    public static final String TNS1 = "http://www.onvif.org/ver10/topics";
    /** WS-BaseNotification. */
    public static final String WSNT = "http://docs.oasis-open.org/wsn/b-2";
    /** WS-Discovery (April 2005, as ONVIF uses it). */
    public static final String WSD = "http://schemas.xmlsoap.org/ws/2005/04/discovery";
    /** WS-Addressing (August 2004, as WS-Discovery 2005 uses it). */
    public static final String WSA2004 = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
    /** ONVIF network WSDL (discovery types). */
    public static final String DN = "http://www.onvif.org/ver10/network/wsdl";

    private Namespaces() {
    }
}
