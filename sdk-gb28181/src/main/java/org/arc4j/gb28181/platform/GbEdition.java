package org.arc4j.gb28181.platform;

/**
 * The edition of GB/T 28181 a device speaks, from its {@code X-GB-Ver} header (GB/T 28181-2022 §9.1:
 * {@code 2.0} for the 2016 edition, {@code 3.0} for 2022); devices that send none are taken as 2016.
 */
public enum GbEdition {
    /** GB/T 28181-2016 ({@code X-GB-Ver: 2.0}) or earlier. */
    GB2016("2.0"),
    /** GB/T 28181-2022 ({@code X-GB-Ver: 3.0}). */
    GB2022("3.0");

    private final String version;

    GbEdition(String version) {
        this.version = version;
    }

    /** @return the X-GB-Ver value */
    public String version() {
        return version;
    }

    /**
     * @param header the X-GB-Ver value, or null
     * @return the edition; 3.x is 2022, anything else 2016
     */
    public static GbEdition ofHeader(String header) {
        if (header == null) {
            return GB2016;
        }
        String h = header.trim();
        return h.startsWith("3") ? GB2022 : GB2016;
    }
}
