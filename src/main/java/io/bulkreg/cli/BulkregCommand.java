package io.bulkreg.cli;

import picocli.CommandLine.Command;

/** The top command; `register` is what runs when no subcommand is given (the demo, the nightly run). */
@Command(name = "bulkreg", mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  java -jar bulkreg.jar register", "  java -jar bulkreg.jar status", "  java -jar bulkreg.jar COMMAND --help"},
        version = "bulkreg 0.1.0",
        description = "Registers lots of IoT devices with the MCS v2 platform and keeps their credentials.",
        subcommands = {RegisterCommand.class, RehearseCommand.class, RestartCommand.class, ReportCommand.class, ResolveInDoubtCommand.class,
                ReconcileCommand.class, ExportCommand.class, StatusCommand.class, StopCommand.class, SandboxCommand.class})
public class BulkregCommand {
}
