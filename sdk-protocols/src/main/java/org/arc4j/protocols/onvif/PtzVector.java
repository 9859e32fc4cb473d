package org.arc4j.protocols.onvif;

/**
 * A PTZ position, translation or speed in the generic spaces (ONVIF PTZ §5.2: pan and tilt in [-1, 1],
 * zoom in [0, 1] for positions, [-1, 1] for translations and speeds). A null axis is left out of the request.
 * Immutable.
 *
 * @param pan  the pan (x), or null
 * @param tilt the tilt (y), or null; sent only together with pan
 * @param zoom the zoom, or null
 */
public record PtzVector(Double pan, Double tilt, Double zoom) {
    /**
     * Pan and tilt only.
     *
     * @param pan  x
     * @param tilt y
     * @return the vector
     */
    public static PtzVector panTilt(double pan, double tilt) {
        return new PtzVector(pan, tilt, null);
    }

    /**
     * All three axes.
     *
     * @param pan  x
     * @param tilt y
     * @param zoom zoom
     * @return the vector
     */
    public static PtzVector of(double pan, double tilt, double zoom) {
        return new PtzVector(pan, tilt, zoom);
    }
}
