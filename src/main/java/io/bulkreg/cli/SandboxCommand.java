package io.bulkreg.cli;

import io.bulkreg.sandbox.McsSandbox;
import io.bulkreg.sandbox.SandboxSettings;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the sandbox platform on its own; needs no database, so it starts without Spring. */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  java -jar bulkreg.jar sandbox --port 8080"},
        description = "Serve the registerDevice sandbox over HTTP until interrupted. The token is read from "
                + "BULKREG_SANDBOX_TOKEN (default: " + SandboxSettings.DEFAULT_TOKEN + ").")
public class SandboxCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080")
    int port;

    @Option(names = "--latency-ms", defaultValue = "0", description = "Delay before each answer.")
    long latencyMs;

    @Option(names = "--max-devices", defaultValue = "100", description = "Most devices accepted in one request.")
    int maxDevices;

    @Override
    public Integer call() {
        String token = System.getenv().getOrDefault("BULKREG_SANDBOX_TOKEN", SandboxSettings.DEFAULT_TOKEN);
        McsSandbox.runUntilInterrupted(SandboxSettings.defaults().withPort(port).withToken(token)
                .withLatency(Duration.ofMillis(latencyMs)).withMaxDevicesPerRequest(maxDevices));
        return ExitCodes.OK;
    }
}
