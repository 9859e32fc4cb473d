package org.arc4j.core.credentials;

/** The kinds of device credentials adapters look up. */
public enum CredentialKind {
    /** SIA DC-09 AES key of an account (or of a line, as the receiver configures it). */
    DC09_KEY,
    /** GB/T 28181 SIP digest password of a device or platform. */
    SIP_PASSWORD,
    /** ONVIF user name and password of a camera or NVR. */
    ONVIF_LOGIN,
    /** Serial port settings or access codes of a hardware receiver. */
    SERIAL,
    /** Anything else an integrator keeps in the store. */
    OTHER
}
