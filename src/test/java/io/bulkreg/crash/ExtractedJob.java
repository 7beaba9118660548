package io.bulkreg.crash;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * target/bulkreg.jar extracted as Spring Boot documents it for class data sharing ({@code -Djarmode=tools extract}:
 * the application jar and its lib/ on the plain class path), with a CDS archive from a training run: the ITs that use
 * the job as a process (crash, stop, many workers, the operator's walk through docs/operations.md) start their child
 * JVMs from here, each start about half the CPU of {@code java -jar target/bulkreg.jar} (1.6 s against 3.3 s: a Spring
 * Boot start is most of such a run, and these ITs start dozens).
 *
 * <p>The same classes from the same jar, the same {@code main}: what those ITs assert (the job's protocol, its exits,
 * its database, the lines the doc quotes) does not depend on how the classes are loaded. The packaged jar itself runs
 * as operators start it in DemoDefaultsIT, HelpWithoutSpringIT, LargeLotExportIT and OperatorPathIT's first step
 * ({@code java -jar}), and in DockerfileIT as the image starts it.
 *
 * <p>Made once per build of the jar (its size and time in a stamp), under a file lock: the two Failsafe forks share it.
 * A training run that fails leaves no archive, and the children then start from the extracted jar without one.
 */
final class ExtractedJob {

    static final Path DIR = Path.of("target", "extracted-job").toAbsolutePath();
    private static final Path APP = DIR.resolve("app");
    private static final Path ARCHIVE = DIR.resolve("bulkreg.jsa");
    private static final Path STAMP = DIR.resolve("stamp");

    private static List<String> launch;

    private ExtractedJob() {
    }

    /** {@code java}, its flags and what follows them up to the job's own arguments. */
    static synchronized List<String> launch() {
        if (launch == null) {
            launch = prepare();
        }
        return launch;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static List<String> prepare() {
        try {
            Files.createDirectories(DIR);
            try (FileChannel channel = FileChannel.open(DIR.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                String stamp = Files.size(JobProcess.JAR) + " " + Files.getLastModifiedTime(JobProcess.JAR).toMillis()
                        + " " + System.getProperty("java.vm.version");
                if (!Files.exists(STAMP) || !Files.readString(STAMP).equals(stamp)) {
                    extractAndTrain();
                    Files.writeString(STAMP, stamp);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        if (Files.isRegularFile(ARCHIVE)) {
            // -Xshare:auto (the default): an archive the JVM cannot map only makes the start slower; cds logging off,
            // so that no warning of it lands among the job's own lines.
            command.addAll(List.of("-XX:SharedArchiveFile=" + ARCHIVE, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        }
        command.addAll(List.of("-jar", APP.resolve("bulkreg.jar").toString()));
        return command;
    }

    private static void extractAndTrain() throws IOException {
        delete(APP);
        Files.deleteIfExists(ARCHIVE);
        run(DIR, DIR.resolve("extract.log"), List.of(java(), "-Djarmode=tools", "-jar", JobProcess.JAR.toString(),
                "extract", "--destination", APP.toString()));
        // The training run is the demo (no configuration: the sample lot, the built-in sandbox, H2 in its folder): it
        // loads what a `register` run loads, so the archive holds those classes as well as Spring's start-up.
        Path training = DIR.resolve("training");
        delete(training);
        Files.createDirectories(training.resolve("jobs/samples"));
        for (String sample : List.of("LOT-2026-11-A.csv", "LOT-2026-11-A.csv.ready")) {
            Files.copy(Path.of("jobs/samples", sample), training.resolve("jobs/samples").resolve(sample));
        }
        Path archive = DIR.resolve("bulkreg.jsa.tmp");
        Files.deleteIfExists(archive);
        int exit = run(training, DIR.resolve("training.log"), List.of(java(), "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "-jar", APP.resolve("bulkreg.jar").toString()));
        if (exit == 0 && Files.isRegularFile(archive)) {
            Files.move(archive, ARCHIVE, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static int run(Path dir, Path log, List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("BULKREG_") || k.startsWith("SPRING_"));
        Process process = builder.start();
        try {
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end: see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException(e);
        }
        if (process.exitValue() != 0 && command.contains("extract")) {
            throw new IllegalStateException("extracting " + JobProcess.JAR + " failed: see " + log);
        }
        return process.exitValue();
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
