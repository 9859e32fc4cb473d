package org.arc4j.protocols.onvif;

/**
 * What {@code GetDeviceInformation} returns (ONVIF Core §8.3.2). Immutable; absent fields are empty strings.
 *
 * @param manufacturer    the manufacturer
 * @param model           the model
 * @param firmwareVersion the firmware version
 * @param serialNumber    the serial number
 * @param hardwareId      the hardware id
 */
public record DeviceInformation(String manufacturer, String model, String firmwareVersion, String serialNumber,
                                String hardwareId) {
}
