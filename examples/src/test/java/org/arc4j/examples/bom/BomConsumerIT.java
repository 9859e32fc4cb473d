package org.arc4j.examples.bom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project outside this build that imports {@code arc4j-bom} and depends on sdk-core and sdk-protocols without
 * versions, built with the project's own {@code ./mvnw}, offline: proof that the BOM names the artifacts a user
 * needs at the version this build made, and that their POMs resolve.
 *
 * <p>{@code verify} installs nothing, so the test lays out a local repository of its own with the BOM, the parent
 * POM and the two modules' POMs and jars (the jars are the ones on this test's class path: the reactor's, or the
 * local repository's with {@code -pl examples}); everything else (Netty, Jackson, the plugins) is read from the
 * outer build's local repository through Maven's {@code maven.repo.local.tail}, so nothing is downloaded.
 */
class BomConsumerIT {
    private static final String CONSUMER_POM = """
            <?xml version="1.0" encoding="UTF-8"?>
            <project xmlns="http://maven.apache.org/POM/4.0.0">
              <modelVersion>4.0.0</modelVersion>
              <groupId>com.example</groupId>
              <artifactId>arc4j-consumer</artifactId>
              <version>1</version>
              <properties>
                <maven.compiler.release>17</maven.compiler.release>
                <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
              </properties>
              <dependencyManagement>
                <dependencies>
                  <dependency>
                    <groupId>org.arc4j</groupId>
                    <artifactId>arc4j-bom</artifactId>
                    <version>@arc4j@</version>
                    <type>pom</type>
                    <scope>import</scope>
                  </dependency>
                </dependencies>
              </dependencyManagement>
              <dependencies>
                <dependency>
                  <groupId>org.arc4j</groupId>
                  <artifactId>sdk-core</artifactId>
                </dependency>
                <dependency>
                  <groupId>org.arc4j</groupId>
                  <artifactId>sdk-protocols</artifactId>
                </dependency>
                <dependency>
                  <groupId>org.junit.jupiter</groupId>
                  <artifactId>junit-jupiter</artifactId>
                  <version>@junit@</version>
                  <scope>test</scope>
                </dependency>
              </dependencies>
              <build>
                <plugins>
                  <plugin>
                    <groupId>org.apache.maven.plugins</groupId>
                    <artifactId>maven-compiler-plugin</artifactId>
                    <version>@compiler@</version>
                  </plugin>
                  <plugin>
                    <groupId>org.apache.maven.plugins</groupId>
                    <artifactId>maven-resources-plugin</artifactId>
                    <version>@resources@</version>
                  </plugin>
                  <plugin>
                    <groupId>org.apache.maven.plugins</groupId>
                    <artifactId>maven-surefire-plugin</artifactId>
                    <version>@surefire@</version>
                  </plugin>
                </plugins>
              </build>
            </project>
            """;

    private static final String CONSUMER_MAIN = """
            package com.example;

            import org.arc4j.core.metrics.SimpleMetrics;
            import org.arc4j.protocols.dc09.Dc09DecodeResult;
            import org.arc4j.protocols.dc09.Dc09Decoder;

            /** Receives nothing: builds a DC-09 decoder and hands it no bytes. */
            public final class Consumer {
                private Consumer() {
                }

                public static String run() {
                    Dc09Decoder decoder = Dc09Decoder.builder().build();
                    Dc09DecodeResult r = decoder.decode(new byte[0], 0, 0);
                    return "decoder up to " + decoder.maxFrameLength() + " bytes, empty input: "
                            + r.getClass().getSimpleName() + ", metrics " + new SimpleMetrics().counts().size();
                }

                public static void main(String[] args) {
                    System.out.println(run());
                }
            }
            """;

    private static final String CONSUMER_TEST = """
            package com.example;

            import static org.junit.jupiter.api.Assertions.assertTrue;

            import org.junit.jupiter.api.Test;

            class ConsumerTest {
                @Test
                void constructsTheCodec() {
                    String out = Consumer.run();
                    System.out.println("CONSUMER-RAN " + out);
                    assertTrue(out.startsWith("decoder up to "), out);
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aProjectImportingTheBomBuildsAndRunsOffline() throws Exception {
        String version = property("arc4j.version");
        Path outerRepo = Path.of(property("arc4j.localRepository"));
        Path root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("bom/pom.xml")).as("run from the examples module").exists();

        Path repo = dir.resolve("repo");
        install(repo, "arc4j-parent", version, root.resolve("pom.xml"), null);
        install(repo, "arc4j-bom", version, root.resolve("bom/pom.xml"), null);
        for (String module : List.of("sdk-core", "sdk-protocols")) {
            install(repo, module, version, root.resolve(module).resolve("pom.xml"), jarOnClassPath(module, version));
        }

        Path project = dir.resolve("consumer");
        Files.createDirectories(project.resolve("src/main/java/com/example"));
        Files.createDirectories(project.resolve("src/test/java/com/example"));
        Files.writeString(project.resolve("pom.xml"), CONSUMER_POM.replace("@arc4j@", version)
                .replace("@junit@", property("arc4j.junitVersion"))
                .replace("@compiler@", property("arc4j.compilerPluginVersion"))
                .replace("@resources@", property("arc4j.resourcesPluginVersion"))
                .replace("@surefire@", property("arc4j.surefireVersion")));
        Files.writeString(project.resolve("src/main/java/com/example/Consumer.java"), CONSUMER_MAIN);
        Files.writeString(project.resolve("src/test/java/com/example/ConsumerTest.java"), CONSUMER_TEST);

        Path log = dir.resolve("build.log");
        Process p = new ProcessBuilder(root.resolve("mvnw").toString(), "-B", "-o", "-ntp",
                "-Dmaven.repo.local=" + repo, "-Dmaven.repo.local.tail=" + outerRepo, "test")
                .directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(5, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(done).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(project.resolve("target/classes/com/example/Consumer.class")).exists();
        assertThat(out).contains("CONSUMER-RAN decoder up to ").contains("Tests run: 1, Failures: 0, Errors: 0");
    }

    private static String property(String name) {
        String v = System.getProperty(name);
        assertThat(v).as(name + " (set by the failsafe configuration in examples/pom.xml)").isNotBlank();
        return v;
    }

    /** The module's jar on this test's class path: the reactor's target/ jar or the local repository's. */
    private static Path jarOnClassPath(String module, String version) {
        String name = module + "-" + version + ".jar";
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of)
                .filter(p -> p.getFileName() != null && p.getFileName().toString().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not on the class path (run at least 'package')"));
    }

    /** Lays out one artifact as {@code install} would, without the metadata an offline build does not need. */
    private static void install(Path repo, String artifactId, String version, Path pom, Path jar) throws IOException {
        Path d = repo.resolve("org/arc4j").resolve(artifactId).resolve(version);
        Files.createDirectories(d);
        Files.copy(pom, d.resolve(artifactId + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, d.resolve(artifactId + "-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
