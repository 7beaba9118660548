package io.bulkreg;

import io.bulkreg.cli.SandboxCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import picocli.CommandLine;

@SpringBootApplication
@ConfigurationPropertiesScan
public class BulkregApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("sandbox")) {
            // The sandbox needs no database: no Spring context, no H2 file.
            System.exit(new CommandLine(new SandboxCommand()).execute(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        System.exit(SpringApplication.exit(SpringApplication.run(BulkregApplication.class, args)));
    }
}
