package org.arc4j.benchmarks.media;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.media.buffer.BufferBudget;

/**
 * Capacity of the video receive path: N camera channels of M Mbit/s H.264 over RTP pushed through
 * {@link ChannelPipeline} (decode → depacketise → pre-alarm buffer → fMP4 segmenter) in real time, open loop: a
 * sender thread puts each frame's datagrams into the channel's receive queue at the frame's due time (25 fps)
 * whatever the receivers do, as a NIC would; a full queue (2 s of the channel's packets) drops the datagram, which is
 * the loss reported, as is a frame whose packets could not be reassembled. Worker threads (one per core by default)
 * each own a share of the channels, as event loops do. Every second it prints packets in and out, losses, the
 * process's CPU use (of all cores) and the heap; at the end, the bytes the pre-alarm buffers hold per channel and the
 * heap per channel after a full GC.
 *
 * <pre>java -Xmx4g -cp benchmarks/target/benchmarks.jar org.arc4j.benchmarks.media.ChannelLoadHarness \
 *     CHANNELS MBIT_PER_S SECONDS [DEPTH_S] [WORKERS]</pre>
 *
 * Not a CI test: the defaults (200 channels × 2 Mbit/s for 40 s, 30 s depth) need about 2 GB of heap.
 */
public final class ChannelLoadHarness {
    private ChannelLoadHarness() {
    }

    /** @param args channels, Mbit/s per channel, seconds, pre-alarm depth in seconds, worker threads */
    public static void main(String[] args) throws Exception {
        int channels = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        double mbps = args.length > 1 ? Double.parseDouble(args[1]) : 2.0;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        int depth = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        int workers = args.length > 4 ? Integer.parseInt(args[4]) : Runtime.getRuntime().availableProcessors();
        int kbps = (int) Math.round(mbps * 1000);

        System.gc();
        long heapBefore = usedHeap();
        List<List<byte[]>> second = ChannelPipeline.oneSecond(kbps);
        int packetsPerSecond = second.stream().mapToInt(List::size).sum();
        BufferBudget budget = new BufferBudget(Runtime.getRuntime().maxMemory(), new SimpleMetrics());
        Instant epoch = Instant.parse("2026-01-01T00:00:00Z");
        ChannelPipeline[] pipes = new ChannelPipeline[channels];
        List<ArrayBlockingQueue<byte[]>> queues = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            pipes[c] = new ChannelPipeline("cam-" + c, Duration.ofSeconds(depth), budget, epoch);
            queues.add(new ArrayBlockingQueue<>(2 * packetsPerSecond));
        }
        AtomicLong dropped = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        AtomicLong processed = new AtomicLong();
        stopped = false;
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int first = w;
            Thread t = new Thread(() -> {
                while (!stopped) {
                    boolean idle = true;
                    for (int c = first; c < channels; c += workers) {
                        byte[] d;
                        int n = 0;
                        while (n < 64 && (d = queues.get(c).poll()) != null) {
                            pipes[c].receive(d);
                            n++;
                        }
                        if (n > 0) {
                            processed.addAndGet(n);
                            idle = false;
                        }
                    }
                    if (idle) {
                        LockSupport.parkNanos(200_000);
                    }
                }
            }, "receiver-" + w);
            t.start();
            threads.add(t);
        }

        System.out.printf("%d channels × %.1f Mbit/s H.264/RTP (%d packets/s each), %d s depth, %d workers, %d s%n",
                channels, mbps, packetsPerSecond, depth, workers, seconds);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int cores = Runtime.getRuntime().availableProcessors();
        long start = System.nanoTime();
        long frameNanos = 1_000_000_000L / ChannelPipeline.FPS;
        long lastReport = start;
        long lastCpu = os.getProcessCpuTime();
        long lastSent = 0;
        long lastProcessed = 0;
        double cpuSum = 0;
        int cpuSamples = 0;
        int[] seq = new int[channels];
        for (long frame = 0; frame < (long) seconds * ChannelPipeline.FPS; frame++) {
            long due = start + frame * frameNanos;
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            List<byte[]> payloads = second.get((int) (frame % ChannelPipeline.FPS));
            long timestamp = (frame * 3600) & 0xFFFFFFFFL;
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < payloads.size(); i++) {
                    byte[] d = ChannelPipeline.datagram(payloads.get(i), i == payloads.size() - 1, seq[c]++ & 0xFFFF,
                            timestamp, 0x10000 + c);
                    if (!queues.get(c).offer(d)) {
                        dropped.incrementAndGet();
                    }
                    sent.incrementAndGet();
                }
            }
            if (now - lastReport >= 1_000_000_000L) {
                long cpu = os.getProcessCpuTime();
                double load = (cpu - lastCpu) / (double) (now - lastReport) / cores * 100;
                if ((now - start) > 5_000_000_000L) {
                    cpuSum += load;
                    cpuSamples++;
                }
                System.out.printf("t=%3ds sent %7d/s processed %7d/s dropped %d, CPU %5.1f %% of %d cores,"
                                + " heap %5d MB, buffered %5d MB%n", (now - start) / 1_000_000_000L,
                        sent.get() - lastSent, processed.get() - lastProcessed, dropped.get(), load, cores,
                        usedHeap() >> 20, budget.used() >> 20);
                lastReport = now;
                lastCpu = cpu;
                lastSent = sent.get();
                lastProcessed = processed.get();
            }
        }
        // let the receivers finish what is queued, then stop them
        long drainUntil = System.nanoTime() + 5_000_000_000L;
        while (processed.get() + dropped.get() < sent.get() && System.nanoTime() < drainUntil) {
            Thread.sleep(10);
        }
        stopped = true;
        for (Thread t : threads) {
            t.join();
        }
        long units = 0;
        long invalid = 0;
        long bad = 0;
        long notSegmented = 0;
        long segmentBytes = 0;
        long buffered = 0;
        for (ChannelPipeline p : pipes) {
            units += p.units;
            invalid += p.invalidUnits;
            bad += p.badPackets;
            notSegmented += p.notSegmented;
            segmentBytes += p.segmentBytes;
            buffered += p.buffered();
        }
        System.gc();
        long heapAfter = usedHeap();
        long expectedUnits = (long) channels * seconds * ChannelPipeline.FPS;
        System.out.printf("sent %d packets, processed %d, dropped %d (%.3f %%), undecodable %d%n", sent.get(),
                processed.get(), dropped.get(), dropped.get() * 100.0 / sent.get(), bad);
        System.out.printf("access units %d of %d (%d short), invalid %d, not segmented %d, fMP4 %d MB%n", units,
                expectedUnits, expectedUnits - units, invalid, notSegmented, segmentBytes >> 20);
        System.out.printf("CPU mean after warm-up %.1f %% of %d cores%n", cpuSamples == 0 ? 0 : cpuSum / cpuSamples,
                cores);
        System.out.printf("pre-alarm buffers hold %.2f MB per channel; heap after GC %.2f MB per channel"
                        + " (%d MB for %d channels)%n", buffered / (double) channels / (1 << 20),
                (heapAfter - heapBefore) / (double) channels / (1 << 20), (heapAfter - heapBefore) >> 20, channels);
        // keep the pipelines reachable until the heap was measured
        if (pipes.length > 0 && pipes[0].packets < 0) {
            System.out.println();
        }
    }

    private static volatile boolean stopped;

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
