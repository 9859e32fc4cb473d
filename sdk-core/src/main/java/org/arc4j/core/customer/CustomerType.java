package org.arc4j.core.customer;

/** The kind of customer a centre serves; key customers (重要客户) are flagged separately. */
public enum CustomerType {
    /** A home. */
    RESIDENTIAL,
    /** A shop, office or other business. */
    COMMERCIAL,
    /** A bank, cash centre or other financial institution. */
    FINANCIAL,
    /** A government body or public institution. */
    GOVERNMENT,
    /** A factory, warehouse or utility. */
    INDUSTRIAL,
    /** Anything else. */
    OTHER
}
