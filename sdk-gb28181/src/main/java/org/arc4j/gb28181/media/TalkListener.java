package org.arc4j.gb28181.media;

/**
 * Receives the device's side of a {@link TalkSession}. Audio arrives on the session's receive thread, in sequence
 * order, one call at a time; do not block there. {@link #onClosed} may come from the SIP or timer threads.
 */
public interface TalkListener {
    /**
     * G.711 audio from the device.
     *
     * @param session     the session
     * @param payloadType 8 (PCMA, A-law) or 0 (PCMU, μ-law)
     * @param codes       one G.711 code per sample at 8 kHz
     * @param sampleTime  the position of the first code on the stream's 8 kHz sample clock (a jump is a gap)
     */
    void onAudio(TalkSession session, int payloadType, byte[] codes, long sampleTime);

    /**
     * The session ended: called once, and only for a session that was established.
     *
     * @param session the session
     * @param failure why ({@link MediaFailure.Kind#BYE_FROM_DEVICE}, {@link MediaFailure.Kind#NO_MEDIA},
     *                {@link MediaFailure.Kind#MEDIA_LOST}, {@link MediaFailure.Kind#DEVICE_GONE}), or null when the
     *                platform closed it
     */
    void onClosed(TalkSession session, MediaFailure failure);
}
