package org.arc4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.arc4j.core.event.Category;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.sla.SlaStep;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 6: a device whose clock skew puts the corrected trigger time after the step's completion
 * gives a negative duration; it is clamped to zero and never throws inside the pipeline.
 */
class NegativeDurationTest {

    @Test
    void aCorrectedTriggerTimeAfterPresentationIsClampedToZero() {
        SimpleMetrics metrics = new SimpleMetrics();
        Centre c = new Centre().start(b -> b.metrics(metrics));
        // the device's clock is 10 s behind ours (skew = device - centre = -10 s) and it says the alarm
        // happened just now on its clock: corrected, that is 10 s after we received it
        String id = "C" + c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "001")
                .triggeredAt(Centre.T0).clockSkew(Duration.ofSeconds(-10))).id();
        assertThat(c.get(id).responseStart()).isEqualTo(Centre.T0.plusSeconds(10));

        c.scheduler.advance(Duration.ofSeconds(2));
        c.pipeline.present(id, "console-1");

        AlarmCase a = c.get(id);
        assertThat(a.stepDurations()).containsEntry(SlaStep.RESPONSE, Duration.ZERO);
        assertThat(a.responseFromDevice()).isEqualTo(Duration.ZERO);
        assertThat(a.responseFromReceipt()).isEqualTo(Duration.ofSeconds(2));
        assertThat(metrics.timer("pipeline.step", "step", "RESPONSE").count()).isEqualTo(1);
        assertThat(metrics.timer("pipeline.step", "step", "RESPONSE").maxNanos()).isZero();
        c.scheduler.advance(Duration.ofMinutes(1));
        assertThat(c.breaches()).isEmpty();
    }
}
