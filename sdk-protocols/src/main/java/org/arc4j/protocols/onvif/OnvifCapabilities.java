package org.arc4j.protocols.onvif;

import java.net.URI;
import java.util.Map;

/**
 * The service addresses from {@code GetCapabilities} (ONVIF Core §8.1.2.2, kept by devices that predate
 * {@code GetServices}). Immutable.
 *
 * @param xaddrs          service category ({@code Device}, {@code Media}, {@code PTZ}, {@code Events},
 *                        {@code Imaging}, {@code Analytics}, {@code DeviceIO}) → address
 * @param pullPointSupport whether the events capability says {@code WSPullPointSupport}
 */
public record OnvifCapabilities(Map<String, URI> xaddrs, boolean pullPointSupport) {
    /** Copies the map. */
    public OnvifCapabilities {
        xaddrs = Map.copyOf(xaddrs);
    }

    /**
     * The address of a category.
     *
     * @param category e.g. {@code Media}
     * @return the address, or null
     */
    public URI xaddr(String category) {
        return xaddrs.get(category);
    }
}
