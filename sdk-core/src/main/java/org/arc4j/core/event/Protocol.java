package org.arc4j.core.event;

/**
 * The wire protocol (and, for DC-09, the data format inside it) that carried an event.
 */
public enum Protocol {
    /** SIA DC-09 carrying SIA DC-03/DC-04 data ({@code "SIA-DCS"}). */
    DC09_SIA_DCS,
    /** SIA DC-09 carrying Contact ID data ({@code "ADM-CID"}). */
    DC09_ADM_CID,
    /** SIA DC-09 supervision poll ({@code "NULL"}). */
    DC09_NULL,
    /** Ademco Contact ID (SIA DC-05) received as DTMF over a telephone line. */
    CONTACT_ID_PSTN,
    /** Ademco 4+1/4+2, High Speed or Super Fast pulse/DTMF formats over a telephone line. */
    ADEMCO_LEGACY_PSTN,
    /** Records from a hardware receiver's automation output on a serial port or TCP. */
    SERIAL_RECEIVER,
    /** GB/T 28181 SIP and MANSCDP. */
    GB28181,
    /** ONVIF events. */
    ONVIF,
    /** Raised inside the centre: supervision, SLA breaches, operator input, drills. */
    INTERNAL
}
