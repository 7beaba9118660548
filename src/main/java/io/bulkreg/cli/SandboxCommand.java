package io.bulkreg.cli;

import io.bulkreg.sandbox.McsSandbox;
import io.bulkreg.sandbox.SandboxSettings;
import java.time.Duration;
import java.util.Set;
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

    @Option(names = "--max-requests-per-second", description = "Answer 429 (Retry-After) beyond this rate; default: no limit.")
    Integer maxRequestsPerSecond;

    @Option(names = "--max-devices", defaultValue = "100", description = "Most devices accepted in one request.")
    int maxDevices;

    /** The built-in sandbox's rule (application.yml, bulkreg.sandbox.products-requiring-serial): one set of rules. */
    static final String PRODUCTS_REQUIRING_SERIAL = "mtk-gw-100";

    @Option(names = "--products-requiring-serial", split = ",", paramLabel = "PRODUCT",
            defaultValue = PRODUCTS_REQUIRING_SERIAL,
            description = "Products whose non-test devices need a serial, as the built-in sandbox (default: ${DEFAULT-VALUE}).")
    Set<String> productsRequiringSerial;

    @Option(names = "--reject-names-containing", paramLabel = "TEXT",
            description = "Refuse devices whose name contains this (to rehearse rejections).")
    String rejectNamesContaining;

    /** What this command serves, with its options. */
    SandboxSettings settings(String token) {
        SandboxSettings settings = SandboxSettings.defaults().withPort(port).withToken(token)
                .withLatency(Duration.ofMillis(latencyMs)).withMaxDevicesPerRequest(maxDevices)
                .withMaxRequestsPerSecond(maxRequestsPerSecond).withProductsRequiringSerial(productsRequiringSerial);
        return rejectNamesContaining == null ? settings : settings.withRejectNamesContaining(rejectNamesContaining);
    }

    @Override
    public Integer call() {
        String token = System.getenv().getOrDefault("BULKREG_SANDBOX_TOKEN", SandboxSettings.DEFAULT_TOKEN);
        McsSandbox.runUntilInterrupted(settings(token));
        return ExitCodes.OK;
    }
}
