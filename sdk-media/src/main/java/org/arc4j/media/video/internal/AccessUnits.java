package org.arc4j.media.video.internal;

import java.util.List;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.VideoCodec;

/**
 * Builds {@link AccessUnit}s from NAL unit arrays the caller owns and hands over, without the defensive copy the
 * public constructor makes (the JDK's "shared secrets" pattern: {@link AccessUnit} installs the factory when its
 * class initialises). For this module's depacketisers and demuxer only: the arrays must never be written again.
 */
public final class AccessUnits {
    /** Makes an access unit that takes the arrays as they are. */
    @FunctionalInterface
    public interface Factory {
        /**
         * @param codec     the codec
         * @param timestamp the 90 kHz timestamp
         * @param nalUnits  NAL units nobody writes again
         * @param intact    false when parts were lost
         * @return the access unit
         */
        AccessUnit wrap(VideoCodec codec, long timestamp, List<byte[]> nalUnits, boolean intact);
    }

    private static volatile Factory factory;

    private AccessUnits() {
    }

    /**
     * Called once, by {@link AccessUnit}'s static initialiser.
     *
     * @param f the factory
     */
    public static void install(Factory f) {
        if (factory != null) {
            throw new IllegalStateException("already installed");
        }
        factory = f;
    }

    /**
     * An access unit that takes the arrays without copying them.
     *
     * @param codec     the codec
     * @param timestamp the 90 kHz timestamp
     * @param nalUnits  NAL units nobody writes again
     * @param intact    false when parts were lost
     * @return the access unit
     */
    public static AccessUnit wrap(VideoCodec codec, long timestamp, List<byte[]> nalUnits, boolean intact) {
        Factory f = factory;
        if (f == null) {
            try {
                Class.forName(AccessUnit.class.getName(), true, AccessUnit.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            f = factory;
        }
        return f.wrap(codec, timestamp, nalUnits, intact);
    }
}
