package org.arc4j.gb28181.manscdp;

/** Why a MANSCDP body was refused (answered with 400 by the adapter). */
public enum ManscdpError {
    /** The body is empty. */
    EMPTY,
    /** The body exceeds the size limit. */
    TOO_LARGE,
    /** The XML is not well-formed. */
    MALFORMED_XML,
    /** A DOCTYPE: refused, since entity expansion is an attack vector and MANSCDP has none. */
    DOCTYPE_FORBIDDEN,
    /** Too deeply nested, or too many elements. */
    TOO_COMPLEX,
    /** The root is not Query, Control, Notify or Response (GB/T 28181 A.2.1). */
    UNKNOWN_ROOT,
    /** SN is present but not a decimal number (GB/T 28181 A.2.1: integer). */
    SN_INVALID,
    /** CmdType is missing where it cannot be inferred. */
    CMDTYPE_MISSING,
    /** DeviceID is missing. */
    DEVICE_ID_MISSING
}
