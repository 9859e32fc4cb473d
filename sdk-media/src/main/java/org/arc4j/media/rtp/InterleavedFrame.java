package org.arc4j.media.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One packet carried on an RTSP connection as interleaved binary data (RFC 2326 §10.12): by the usual
 * {@code interleaved=0-1} convention an even channel carries RTP and the odd one after it RTCP. Reference-counted:
 * whoever receives it releases it.
 */
public final class InterleavedFrame extends DefaultByteBufHolder {
    private final int channel;

    /**
     * A frame.
     *
     * @param channel 0..255
     * @param payload the packet; ownership passes to the frame
     */
    public InterleavedFrame(int channel, ByteBuf payload) {
        super(payload);
        if (channel < 0 || channel > 255) {
            throw new IllegalArgumentException("channel " + channel);
        }
        this.channel = channel;
    }

    /** @return the channel, 0..255 */
    public int channel() {
        return channel;
    }

    @Override
    public InterleavedFrame replace(ByteBuf content) {
        return new InterleavedFrame(channel, content);
    }

    @Override
    public String toString() {
        return "InterleavedFrame{channel=" + channel + " " + content().readableBytes() + " bytes}";
    }
}
