package org.arc4j.gb28181.media;

/**
 * What every media dialog with a device has, whichever side INVITEd and whichever way the media flows: live,
 * playback and download ({@link MediaSession}), voice broadcast ({@link BroadcastSession}) and two-way talk
 * ({@link TalkSession}). It is what a {@link RtpPayloadInterceptor} is told a packet belongs to.
 */
public interface MediaDialog {
    /** @return the device the dialog is with */
    String deviceId();

    /** @return the channel: the camera of a video session, the audio channel of a talk or broadcast */
    String channelId();

    /** @return the dialog's Call-ID */
    String callId();
}
