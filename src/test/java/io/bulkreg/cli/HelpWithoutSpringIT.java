package io.bulkreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** `--help` as a new operator types it: the packaged jar, in an empty folder, nothing configured. */
class HelpWithoutSpringIT {

    static final Path JAR = Path.of("target", "bulkreg.jar").toAbsolutePath();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"register", "rehearse", "restart", "report", "resolve-in-doubt", "export", "status", "stop",
            "sandbox"})
    void givenAFreshFolder_whenACommandIsAskedForHelp_thenItAnswersAtOnceWithAnExampleAndTouchesNoDatabase(String command)
            throws Exception {
        long started = System.nanoTime();
        Process help = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toString(), command, "--help").directory(dir.toFile()).redirectErrorStream(true).start();
        String said = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(help.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(help.exitValue()).as(said).isZero();
        assertThat(said).contains("Usage: bulkreg " + command).contains("java -jar bulkreg.jar " + command);
        assertThat(said).as("no Spring start-up logging").doesNotContain("INFO", "WARN");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("no database file, no folder").isEmpty();
        }
        // Spring and Flyway take 10-20 s here; the JVM alone well under that, even on a busy machine.
        assertThat(took).isLessThan(Duration.ofSeconds(8));
    }
}
