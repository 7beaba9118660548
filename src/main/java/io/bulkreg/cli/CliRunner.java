package io.bulkreg.cli;

import io.bulkreg.job.ProcessExit;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.stereotype.Component;
import picocli.CommandLine;

/** Runs the command line inside the Spring context; commands are beans created by Spring. */
@Component
public class CliRunner implements CommandLineRunner, ExitCodeGenerator {

    private final ApplicationContext context;
    private int exitCode;

    public CliRunner(ApplicationContext context) {
        this.context = context;
    }

    @Override
    public void run(String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                try {
                    return context.getAutowireCapableBeanFactory().createBean(type);
                } catch (Exception e) {
                    return CommandLine.defaultFactory().create(type);
                }
            }
        };
        Optional<String> visibleSecret = SecretsOnTheCommandLine.find((ConfigurableEnvironment) context.getEnvironment());
        if (visibleSecret.isPresent()) {
            System.err.println("bulkreg: secrets are not accepted as arguments, system properties or SPRING_APPLICATION_JSON "
                    + "(found " + visibleSecret.get() + "): use BULKREG_MCS_TOKEN or BULKREG_MCS_TOKEN_FILE, "
                    + "BULKREG_CRYPTO_KEY or bulkreg.crypto.key-file, SPRING_DATASOURCE_PASSWORD or a configtree file)");
            exitCode = ExitCodes.USAGE;
            return;
        }
        // Spring Boot already took --spring.*, --bulkreg.* and --logging.* as properties: hide them from picocli.
        String[] commandArgs = Arrays.stream(args)
                .filter(a -> !(a.startsWith("--spring.") || a.startsWith("--bulkreg.") || a.startsWith("--logging.")))
                .toArray(String[]::new);
        String[] effective = commandArgs.length == 0 ? new String[] {"register"} : commandArgs;
        exitCode = new CommandLine(new BulkregCommand(), factory)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    // A configuration problem may surface wrapped by Spring (creating a bean): say it plainly.
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        if (t instanceof ConfigurationProblem problem) {
                            cmd.getErr().println("bulkreg: " + problem.getMessage());
                            return ExitCodes.USAGE;
                        }
                    }
                    cmd.getErr().println("bulkreg: " + e.getMessage());
                    return ExitCodes.FAILED;
                })
                .execute(effective);
        ProcessExit.decided(exitCode);
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
