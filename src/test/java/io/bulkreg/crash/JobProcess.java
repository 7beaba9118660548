package io.bulkreg.crash;

import io.bulkreg.sandbox.McsSandbox;
import io.bulkreg.sandbox.SandboxSettings;
import io.bulkreg.support.SandboxPlatform;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged job started as a process of its own, as cron or Kubernetes would: database settings and the
 * token in its environment, the rest as --bulkreg.* arguments, its output in a log file. By default from the jar
 * extracted with a CDS archive ({@link ExtractedJob}); {@link Launch#PACKAGED_JAR} where the jar itself is the point.
 */
final class JobProcess {

    static final Path JAR = Path.of("target", "bulkreg.jar").toAbsolutePath();

    private JobProcess() {
    }

    /** How the child's JVM is started. */
    enum Launch {
        /**
         * {@code java -jar target/bulkreg.jar}, as operators run it: its nested jars (the PostgreSQL driver, Flyway's
         * database support found by ServiceLoader, the migrations Flyway scans) as they are loaded in production.
         */
        PACKAGED_JAR,
        /** The same jar extracted, with a CDS archive ({@link ExtractedJob}): for the specs about the job's behaviour. */
        EXTRACTED
    }

    static ProcessBuilder builder(Path workDir, ChildDatabase db, McsSandbox sandbox, SandboxSettings settings,
            Map<String, Object> properties, File log, String... args) {
        return builder(Launch.EXTRACTED, workDir, db, sandbox, settings, properties, List.of(), log, args);
    }

    /** @param systemProperties {@code -Dname=value} arguments for the child's JVM */
    static ProcessBuilder builder(Path workDir, ChildDatabase db, McsSandbox sandbox, SandboxSettings settings,
            Map<String, Object> properties, List<String> systemProperties, File log, String... args) {
        return builder(Launch.EXTRACTED, workDir, db, sandbox, settings, properties, systemProperties, log, args);
    }

    static ProcessBuilder builder(Launch launch, Path workDir, ChildDatabase db, McsSandbox sandbox,
            SandboxSettings settings, Map<String, Object> properties, List<String> systemProperties, File log,
            String... args) {
        Map<String, Object> platform = new LinkedHashMap<>(SandboxPlatform.properties(sandbox, settings));
        String token = (String) platform.remove("bulkreg.mcs.token");
        platform.put("bulkreg.lease.heartbeat", "1s");
        platform.putAll(properties);
        // a short-lived JVM: C1 and one GC thread start it fastest
        List<String> command = new ArrayList<>(launch == Launch.EXTRACTED ? ExtractedJob.launch()
                : List.of(ExtractedJob.java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", JAR.toString()));
        // the JVM's own options before -jar
        command.addAll(command.indexOf("-jar"), systemProperties);
        command.addAll(List.of(args));
        platform.forEach((k, v) -> command.add("--" + k + "=" + v));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.redirectOutput(log);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("BULKREG_") || k.startsWith("SPRING_"));
        env.putAll(db.environment());
        env.put("BULKREG_MCS_TOKEN", token);
        return builder;
    }
}
