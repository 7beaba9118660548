package io.bulkreg;

import io.bulkreg.cli.ExitCodes;
import io.bulkreg.cli.HelpWithoutSpring;
import io.bulkreg.cli.SandboxCommand;
import io.bulkreg.job.ProcessExit;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import picocli.CommandLine;

@SpringBootApplication
@ConfigurationPropertiesScan
public class BulkregApplication {

    public static boolean isConfigurationError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BindException || t instanceof BindValidationException) {
                return true;
            }
        }
        return false;
    }

    public static void main(String[] args) {
        // --help and --version: answered at once, before Spring starts or any database is touched.
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        Optional<Integer> help = HelpWithoutSpring.answer(args, out, err);
        if (help.isPresent()) {
            System.exit(help.get());
        }
        if (args.length > 0 && args[0].equals("sandbox")) {
            // The sandbox needs no database: no Spring context, no H2 file.
            System.exit(new CommandLine(new SandboxCommand()).execute(Arrays.copyOfRange(args, 1, args.length)));
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
