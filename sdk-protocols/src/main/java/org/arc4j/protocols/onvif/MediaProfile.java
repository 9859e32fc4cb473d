package org.arc4j.protocols.onvif;

/**
 * A media profile from {@code GetProfiles} of Media (ver10) or Media2 (ver20). Media2 is the only place where an
 * H.265 encoder is visible: Media ver10 knows JPEG, MPEG4 and H264 only. Immutable.
 *
 * @param token                  the profile token
 * @param name                   the profile name
 * @param encoding               the video encoding ({@code H264}, {@code H265}, {@code JPEG}, …), or empty
 * @param width                  the encoder resolution width, or 0
 * @param height                 the encoder resolution height, or 0
 * @param videoSourceToken       the video source's token, or empty
 * @param ptzConfigurationToken  the PTZ configuration's token, or empty when the profile has no PTZ
 * @param mediaVersion           1 for Media ver10, 2 for Media2
 * @param videoSourceConfigurationToken the token of the video source configuration, or empty: what analytics
 *                               events name as {@code VideoSourceConfigurationToken} where others name the source
 */
public record MediaProfile(String token, String name, String encoding, int width, int height,
                           String videoSourceToken, String ptzConfigurationToken, int mediaVersion,
                           String videoSourceConfigurationToken) {
    /** Replaces an absent configuration token by empty. */
    public MediaProfile {
        videoSourceConfigurationToken = videoSourceConfigurationToken == null ? "" : videoSourceConfigurationToken;
    }

    /**
     * A profile whose video source configuration's token is not known.
     *
     * @param token                 the profile token
     * @param name                  the profile name
     * @param encoding              the video encoding
     * @param width                 the encoder resolution width
     * @param height                the encoder resolution height
     * @param videoSourceToken      the video source's token
     * @param ptzConfigurationToken the PTZ configuration's token
     * @param mediaVersion          1 or 2
     */
    public MediaProfile(String token, String name, String encoding, int width, int height, String videoSourceToken,
                        String ptzConfigurationToken, int mediaVersion) {
        this(token, name, encoding, width, height, videoSourceToken, ptzConfigurationToken, mediaVersion, "");
    }
}
