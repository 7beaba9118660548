package io.bulkreg.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.ops.DockerfileInstructions.Instruction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `docker build` would do with target/bulkreg.jar, done here without Docker: the Dockerfile's own RUN
 * line extracts the layers, its COPY lines assemble /app, its ENTRYPOINT starts the job from there.
 */
class DockerfileIT {

    static final Pattern COPY = Pattern.compile("--from=layers /build/(\\S+)/ \\./");

    @TempDir
    Path build;
    @TempDir
    Path app;
    @TempDir
    Path workdir;

    final DockerfileInstructions dockerfile = DockerfileInstructions.read();

    static Process run(Path directory, List<String> command) throws IOException {
        return new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    }

    static String finish(Process p) throws Exception {
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }

    void extractAsTheDockerfileDoes() throws Exception {
        Files.copy(Path.of("target/bulkreg.jar"), build.resolve("bulkreg.jar"));   // COPY target/bulkreg.jar bulkreg.jar
        Instruction extract = dockerfile.of("RUN").stream().filter(r -> r.arguments().contains("-Djarmode=tools")).findFirst().orElseThrow();
        finish(run(build, List.of("sh", "-c", extract.arguments())));
    }

    @Test
    void givenThePackagedJar_whenTheDockerfilesExtractStepRuns_thenEveryLayerItCopiesExists() throws Exception {
        extractAsTheDockerfileDoes();

        List<Instruction> copies = dockerfile.finalStage().of("COPY");
        assertThat(copies).hasSize(4);
        for (Instruction copy : copies) {
            Matcher m = COPY.matcher(copy.arguments());
            assertThat(m.matches()).as(copy.arguments()).isTrue();
            assertThat(build.resolve(m.group(1))).as(copy.arguments()).isDirectory();
        }
        assertThat(build.resolve("extracted/application/BOOT-INF/classes/io/bulkreg/BulkregApplication.class")).exists();
        assertThat(build.resolve("extracted/spring-boot-loader/org/springframework/boot/loader/launch/JarLauncher.class")).exists();
    }

    @Test
    void givenTheLayersCopiedIntoOneFolder_whenTheEntrypointStartsTheJob_thenItRunsFromThemInAnotherWorkingFolder() throws Exception {
        extractAsTheDockerfileDoes();
        for (Instruction copy : dockerfile.finalStage().of("COPY")) {
            Matcher m = COPY.matcher(copy.arguments());
            assertThat(m.matches()).isTrue();
            copyTree(build.resolve(m.group(1)), app);
        }
        List<String> entrypoint = new ArrayList<>(dockerfile.finalStage().of("ENTRYPOINT").get(0).execForm());
        entrypoint.replaceAll(a -> a.equals("/app") ? app.toString() : a);
        entrypoint.add("report");   // a command that needs Spring, Flyway and the database, and sends nothing

        String output = finish(run(workdir, entrypoint));

        assertThat(output).doesNotContain("Exception");
        assertThat(workdir.resolve("data")).isDirectory();   // the H2 default, relative to the working folder
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
