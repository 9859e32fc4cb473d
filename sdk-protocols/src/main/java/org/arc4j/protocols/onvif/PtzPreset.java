package org.arc4j.protocols.onvif;

/**
 * A PTZ preset from {@code GetPresets} (ONVIF PTZ §5.4.1). Immutable.
 *
 * @param token    the preset token
 * @param name     its name, or empty
 * @param position its stored position, or null when the device does not report it
 */
public record PtzPreset(String token, String name, PtzVector position) {
}
