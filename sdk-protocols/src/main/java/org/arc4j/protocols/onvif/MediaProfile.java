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
 */
public record MediaProfile(String token, String name, String encoding, int width, int height,
                           String videoSourceToken, String ptzConfigurationToken, int mediaVersion) {
}
