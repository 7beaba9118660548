package io.bulkreg.cli;

import picocli.CommandLine.Option;

/** How a command that sends asks for a platform other than the configured one: shared by `register` and `restart`. */
public class PlatformOptions {

    @Option(names = "--sandbox", description = "Send to the built-in sandbox (nothing reaches a real platform), "
            + "as bulkreg.mcs.use-sandbox=true does.")
    boolean sandbox;

    @Option(names = "--allow-platform-change", description = "Send although this database holds credentials that "
            + "another platform issued, as bulkreg.mcs.allow-platform-change=true does.")
    boolean allowPlatformChange;
}
