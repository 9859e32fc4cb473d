package org.arc4j.core.customer;

/**
 * A WGS 84 position, shown to operators as the alarm's location (GA 1383 报警响应: 位置信息).
 *
 * @param latitude  degrees north, -90 to 90
 * @param longitude degrees east, -180 to 180
 */
public record GeoPoint(double latitude, double longitude) {
    /** Validates the ranges. */
    public GeoPoint {
        if (latitude < -90 || latitude > 90 || longitude < -180 || longitude > 180) {
            throw new IllegalArgumentException("not a WGS 84 position: " + latitude + "," + longitude);
        }
    }
}
