package io.bulkreg.support;

import io.bulkreg.BulkregApplication;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.core.type.classreading.MetadataReader;

/**
 * Runs the bulkreg command line the way a process would: a fresh Spring context per run, so that what one
 * run leaves behind reaches the next only through the database (as between two nightly runs).
 */
public final class CliRun {

    /** {@code output}: standard output and standard error, interleaved as written. */
    public record Result(int exitCode, String output) {
    }

    private CliRun() {
    }

    /**
     * As {@link #run}, but a start-up that fails ends with the exit code the process would give (as
     * {@code BulkregApplication.main} decides it) instead of an exception; the output then ends with the exception's
     * stack trace, so that a search of the output sees whatever the failure carried.
     */
    public static synchronized Result runToExit(Map<String, Object> properties, String... args) {
        PrintStream original = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new TeeStream(originalErr, captured), true, StandardCharsets.UTF_8));
        try {
            return run(properties, args);
        } catch (RuntimeException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            return new Result(BulkregApplication.isConfigurationError(e) ? io.bulkreg.cli.ExitCodes.USAGE
                    : io.bulkreg.cli.ExitCodes.FAILED, captured.toString(StandardCharsets.UTF_8) + trace);
        } finally {
            System.setOut(original);
            System.setErr(originalErr);
        }
    }

    public static synchronized Result run(Map<String, Object> properties, String... args) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("spring.main.banner-mode", "off");
        all.put("bulkreg.lease.heartbeat", "1s");
        all.putAll(properties);
        PrintStream original = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // Both streams, as a terminal or a cron log shows them: errors are part of what an operator reads.
        System.setOut(new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new TeeStream(originalErr, captured), true, StandardCharsets.UTF_8));
        int exit;
        try {
            // addFirst: these must win over application.yml, as environment variables would.
            ConfigurableApplicationContext context = new SpringApplicationBuilder(BulkregApplication.class)
                    .initializers(ctx -> ctx.getEnvironment().getPropertySources()
                            .addFirst(new MapPropertySource("cli-run", all)), CliRun::readClassesOnce)
                    .run(args);
            exit = SpringApplication.exit(context);
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(original);
            System.setErr(originalErr);
        }
        return new Result(exit, captured.toString(StandardCharsets.UTF_8));
    }

    /**
     * The class files a start-up reads (configuration classes, auto-configurations, the classes component scanning
     * looks at) are read once per test JVM instead of once per run: each context's own cache of them starts with what
     * earlier runs read, and what it read is kept when its configuration has been parsed (the context clears its
     * cache at the end of its refresh). Only what a class file says is cached; which beans a run creates is decided
     * afresh by each run, from its own properties.
     */
    private static void readClassesOnce(ConfigurableApplicationContext context) {
        if (context instanceof DefaultResourceLoader loader) {
            Map<Resource, MetadataReader> cache = loader.getResourceCache(MetadataReader.class);
            cache.putAll(CLASS_FILES);
            context.addBeanFactoryPostProcessor(beanFactory -> CLASS_FILES.putAll(cache));
        }
    }

    private static final Map<Resource, MetadataReader> CLASS_FILES = new ConcurrentHashMap<>();

    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
