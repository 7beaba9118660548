package io.bulkreg;

import io.bulkreg.cli.ExitCodes;
import io.bulkreg.cli.SandboxCommand;
import io.bulkreg.job.ProcessExit;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import picocli.CommandLine;

@SpringBootApplication
@ConfigurationPropertiesScan
public class BulkregApplication {

    public static boolean isConfigurationError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.springframework.boot.context.properties.bind.BindException
                    || t instanceof org.springframework.boot.context.properties.bind.validation.BindValidationException) {
                return true;
            }
        }
        return false;
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("sandbox")) {
            // The sandbox needs no database: no Spring context, no H2 file.
            System.exit(new CommandLine(new SandboxCommand()).execute(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        int exit;
        try {
            exit = SpringApplication.exit(SpringApplication.run(BulkregApplication.class, args));
        } catch (RuntimeException e) {
            // Spring Boot has printed what failed; a configuration that does not bind or validate is a usage error.
            exit = isConfigurationError(e) ? ExitCodes.USAGE : ExitCodes.FAILED;
        }
        ProcessExit.exit(exit);
    }
}
