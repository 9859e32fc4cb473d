package org.arc4j.examples.center;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference centre as a separate JVM, started from this test's class path with free ports (port 0) that it
 * reads back from the centre's start lines. Stopped with SIGTERM ({@link #stop()}) or SIGKILL ({@link #kill()}).
 */
final class CenterProcess implements AutoCloseable {
    private static final Pattern DC09 = Pattern.compile("DC-09 tcp (\\d+) udp (\\d+)");
    private static final Pattern HTTP = Pattern.compile("console and API http://[^:]+:(\\d+)/");
    private static final Pattern SIP = Pattern.compile("SIP udp (\\d+) tcp (\\d+)");

    final Process process;
    final List<String> output = new CopyOnWriteArrayList<>();
    int http;
    int dc09Tcp;
    int dc09Udp;
    int sipUdp;
    int sipTcp;

    private CenterProcess(Process p) {
        this.process = p;
    }

    static CenterProcess start(Path data, Map<String, String> env, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ReferenceCenter.class.getName(), "--data", data.toString(), "--http", "0", "--dc09-tcp", "0",
                "--dc09-udp", "0", "--sip", "0"));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("ARC4J_ADMIN_PASSWORD");
        pb.environment().remove("ARC4J_VAULT_KEY");
        pb.environment().remove("ARC4J_VAULT_KEY_FILE");
        pb.environment().putAll(env);
        CenterProcess c = new CenterProcess(pb.start());
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(c.process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    c.output.add(line);
                }
                c.output.add("(output ended)");
            } catch (IOException e) {
                c.output.add("(output ended: " + e + ")");
            }
        }, "centre-output");
        reader.setDaemon(true);
        reader.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (c.http == 0 && System.nanoTime() < end) {
            if (!c.process.isAlive()) {
                throw new AssertionError("centre exited with " + c.process.exitValue() + ": " + c.output);
            }
            for (String line : c.output) {
                Matcher m = DC09.matcher(line);
                if (m.find()) {
                    c.dc09Tcp = Integer.parseInt(m.group(1));
                    c.dc09Udp = Integer.parseInt(m.group(2));
                }
                Matcher sip = SIP.matcher(line);
                if (sip.find()) {
                    c.sipUdp = Integer.parseInt(sip.group(1));
                    c.sipTcp = Integer.parseInt(sip.group(2));
                }
                Matcher h = HTTP.matcher(line);
                if (h.find()) {
                    c.http = Integer.parseInt(h.group(1));
                }
            }
            Thread.sleep(50);
        }
        if (c.http == 0) {
            c.kill();
            throw new AssertionError("centre did not start: " + c.output);
        }
        return c;
    }

    String base() {
        return "http://127.0.0.1:" + http;
    }

    /** SIGTERM, then waits for the exit. */
    int stop() throws InterruptedException {
        // through the handle: Process.destroy() would also close our end of the centre's output
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("centre did not stop on SIGTERM: " + output);
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (output.stream().noneMatch(l -> l.contains("(output ended")) && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
