package org.arc4j.core.stats;

/**
 * Capacity helpers for planning a centre (GA 1383 服务平台: 接警中继线; 网络带宽).
 *
 * <p>Stateless and thread-safe.
 */
public final class Capacity {
    /** Bandwidth of one 720P video stream, kbit/s. */
    public static final int KBPS_720P = 4096;
    /** Bandwidth of one 1080P video stream, kbit/s. */
    public static final int KBPS_1080P = 8192;

    private Capacity() {
    }

    /** Video stream resolutions. */
    public enum Resolution {
        /** 1280×720. */
        P720(KBPS_720P),
        /** 1920×1080. */
        P1080(KBPS_1080P);

        private final int kbps;

        Resolution(int kbps) {
            this.kbps = kbps;
        }

        /** @return kbit/s per stream */
        public int kbps() {
            return kbps;
        }
    }

    /**
     * The least number of PSTN trunks (接警中继线) for a number of connected customers: at least 4, and one more
     * for every 200 customers, or part of 200, above 300; plus one dedicated trunk when devices also send
     * arming/disarming and periodic reports over PSTN (应增加专用中继线).
     *
     * @param customers         connected customers, not negative
     * @param dedicatedForReports whether devices send status and periodic reports over PSTN too
     * @return the number of trunks
     */
    public static int pstnTrunks(int customers, boolean dedicatedForReports) {
        if (customers < 0) {
            throw new IllegalArgumentException("customers must not be negative");
        }
        int extra = customers <= 300 ? 0 : (customers - 300 + 199) / 200;
        return 4 + extra + (dedicatedForReports ? 1 : 0);
    }

    /**
     * The bandwidth for concurrent video streams.
     *
     * @param resolution the resolution
     * @param streams    concurrent streams, not negative
     * @return kbit/s
     */
    public static long bandwidthKbps(Resolution resolution, int streams) {
        if (streams < 0) {
            throw new IllegalArgumentException("streams must not be negative");
        }
        return (long) resolution.kbps() * streams;
    }
}
