package org.arc4j.protocols.onvif;

import java.util.List;

/**
 * One network interface from {@code GetNetworkInterfaces} (ONVIF Core §8.2.8). Immutable.
 *
 * @param token     the interface token
 * @param enabled   whether it is enabled
 * @param name      the interface name, or empty
 * @param hwAddress the MAC address, or empty
 * @param ipv4      its IPv4 addresses with prefix ({@code 192.168.0.20/24}), manual, link-local or from DHCP
 * @param dhcp      whether IPv4 is configured by DHCP
 */
public record OnvifNetworkInterface(String token, boolean enabled, String name, String hwAddress, List<String> ipv4,
                                    boolean dhcp) {
    /** Copies the list. */
    public OnvifNetworkInterface {
        ipv4 = List.copyOf(ipv4);
    }
}
