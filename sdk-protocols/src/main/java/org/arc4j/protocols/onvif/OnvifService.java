package org.arc4j.protocols.onvif;

import java.net.URI;

/**
 * One service a device offers, from {@code GetServices} (ONVIF Core §8.1.2.1). Immutable.
 *
 * @param namespace the service's WSDL namespace, e.g. {@code http://www.onvif.org/ver20/media/wsdl}
 * @param xaddr     where to send its requests, as the device reported it
 * @param version   {@code major.minor}, or empty
 */
public record OnvifService(String namespace, URI xaddr, String version) {
}
