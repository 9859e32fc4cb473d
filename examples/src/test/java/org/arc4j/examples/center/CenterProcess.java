package org.arc4j.examples.center;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    private static final Pattern PSTN = Pattern.compile("PSTN gateway SIP udp (\\d+)");

    final Process process;
    final List<String> output = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    int http;
    int dc09Tcp;
    int dc09Udp;
    int sipUdp;
    int sipTcp;
    int pstnSip;

    private CenterProcess(Process p) {
        this.process = p;
    }

    static CenterProcess start(Path data, Map<String, String> env, String... extra) throws Exception {
        CenterProcess c = launch(data, env, extra);
        c.awaitStarted(90);
        return c;
    }

    /** Starts the process without waiting for it to listen (a standby centre waits for its lease first). */
    static CenterProcess launch(Path data, Map<String, String> env, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ReferenceCenter.class.getName(), "--data", data.toString(), "--http", "0", "--dc09-tcp", "0",
                "--dc09-udp", "0", "--sip", "0", "--pstn-sip", "0"));
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
                    c.readPorts(line);
                }
                c.output.add("(output ended)");
            } catch (IOException e) {
                c.output.add("(output ended: " + e + ")");
            }
            c.started.completeExceptionally(new AssertionError("centre exited before it listened: " + c.output));
            c.ended.complete(null);
        }, "centre-output");
        reader.setDaemon(true);
        reader.start();
        return c;
    }

    /** Waits until the centre listens (its ports are then read); kills it if it does not within the time. */
    void awaitStarted(int seconds) throws InterruptedException {
        try {
            started.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            kill();
            throw new AssertionError("centre did not start: " + output, e);
        }
    }

    /** Takes the ports from the start lines; the HTTP line comes last and completes {@link #started}. */
    private void readPorts(String line) {
        Matcher m = DC09.matcher(line);
        if (m.find()) {
            dc09Tcp = Integer.parseInt(m.group(1));
            dc09Udp = Integer.parseInt(m.group(2));
        }
        Matcher sip = SIP.matcher(line);
        if (sip.find()) {
            sipUdp = Integer.parseInt(sip.group(1));
            sipTcp = Integer.parseInt(sip.group(2));
        }
        Matcher pstn = PSTN.matcher(line);
        if (pstn.find()) {
            pstnSip = Integer.parseInt(pstn.group(1));
        }
        Matcher h = HTTP.matcher(line);
        if (h.find()) {
            http = Integer.parseInt(h.group(1));
            started.complete(null);
        }
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
        try {
            ended.get(10, TimeUnit.SECONDS); // its last lines are read
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("centre output did not end: " + output, e);
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
