package org.arc4j.examples.center.http;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The set of open console WebSockets; {@link #broadcast} pushes a JSON text to all of them. Slow
 * consoles do not hold up others: Netty queues per channel, and a channel that is not writable (its buffer
 * above the high-water mark) is skipped and closed so that it reconnects and reloads. Thread-safe.
 */
public final class WebSocketHub {
    private final ChannelGroup channels = new DefaultChannelGroup("consoles", GlobalEventExecutor.INSTANCE);

    /** An empty hub. */
    public WebSocketHub() {
    }

    void add(Channel ch) {
        channels.add(ch);
    }

    /**
     * Sends a text frame to every open console.
     *
     * @param json the text
     */
    public void broadcast(String json) {
        for (Channel ch : channels) {
            if (ch.isWritable()) {
                ch.writeAndFlush(new TextWebSocketFrame(json));
            } else {
                ch.close();
            }
        }
    }

    /** Closes every console; each reconnects and reloads its view (after the centre fell behind pushing). */
    public void closeAll() {
        channels.close();
    }

    /** For tests: adds a channel as if a console had connected. @param ch the channel */
    public void addForTest(Channel ch) {
        add(ch);
    }

    /** @return how many consoles are connected */
    public int size() {
        return channels.size();
    }
}
