package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.arc4j.examples.center.http.WebSocketHub;
import org.junit.jupiter.api.Test;

class ConsolePushTest {
    @Test
    void pushesReachTheConsolesAndAnOverflowMakesThemReloadInsteadOfGrowingTheQueue() throws Exception {
        WebSocketHub hub = new WebSocketHub();
        EmbeddedChannel console = new EmbeddedChannel();
        hub.addForTest(console);
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        try (ConsolePush push = new ConsolePush(hub, Thread::new, 4)) {
            push.push(() -> "{\"n\":1}");
            push.push(() -> {
                holding.countDown();
                try {
                    hold.await(10, TimeUnit.SECONDS); // a push thread that cannot keep up
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "{\"n\":2}";
            });
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 4; i++) {
                push.push(() -> "{\"queued\":true}");
            }
            assertThat(push.overflows()).isZero();
            push.push(() -> "{\"one too many\":true}");
            assertThat(push.overflows()).isEqualTo(1);
            hold.countDown();
        }
        console.runPendingTasks();
        TextWebSocketFrame first = console.readOutbound();
        assertThat(first.text()).isEqualTo("{\"n\":1}");
        first.release();
        assertThat(console.isOpen()).isFalse(); // closed so that it reconnects and reloads
        assertThat(hub.size()).isZero();
    }
}
