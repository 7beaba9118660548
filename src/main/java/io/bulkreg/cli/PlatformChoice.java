package io.bulkreg.cli;

import io.bulkreg.mcs.McsClient;
import io.bulkreg.mcs.McsProperties;
import io.bulkreg.mcs.Platform;
import io.bulkreg.registration.PlatformHistory;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Which platform this process sends to. The built-in sandbox is never a fallback: it is used when asked for by name
 * ({@code --sandbox}, {@code bulkreg.mcs.use-sandbox}) or in the zero-configuration demo (the default database under
 * ./data and no platform address). Any other database without a platform address is a configuration error, so that
 * a typo in a variable name cannot store the sandbox's made-up keys as real credentials. Decided once per process,
 * by the command that sends, before anything is imported.
 */
@Component
public class PlatformChoice {

    /** application.yml's database: with it and no platform address, the job runs as the demo. */
    public static final String DEMO_DATASOURCE_URL = "jdbc:h2:file:./data/bulkreg;FILE_LOCK=FS";

    private final McsProperties mcs;
    private final Environment environment;
    private final PlatformHistory history;
    private final ObjectProvider<McsClient> client;
    private volatile Platform chosen;

    public PlatformChoice(McsProperties mcs, Environment environment, PlatformHistory history,
            ObjectProvider<McsClient> client) {
        this.mcs = mcs;
        this.environment = environment;
        this.history = history;
        this.client = client;
    }

    /** The zero-configuration demo: the default database and no platform address. */
    public boolean demo() {
        return mcs.baseUrl() == null && DEMO_DATASOURCE_URL.equals(environment.getProperty("spring.datasource.url"));
    }

    /**
     * Chooses the platform of this process and checks that the database may take its credentials.
     *
     * @throws ConfigurationProblem when no platform is configured outside the demo, or the database holds
     *         credentials of another platform and no change was allowed
     */
    public Platform choose(PlatformOptions options) {
        Platform platform = platformFor(options.sandbox);
        if (!(options.allowPlatformChange || mcs.allowPlatformChange())) {
            refuseIfOtherPlatformOnRecord(platform);
        }
        chosen = platform;
        return platform;
    }

    /** The platform chosen by the command; from the settings alone when no command chose. */
    public Platform chosen() {
        Platform platform = chosen;
        return platform != null ? platform : platformFor(false);
    }

    /** One line for the console: where requests go, never the token. */
    public String describe() {
        Platform platform = chosen();
        String url = client.getObject().endpoint().toString();
        return switch (platform.kind()) {
            case CONFIGURED -> "Platform: requests go to " + url;
            case SANDBOX_ASKED -> "Platform: the built-in sandbox, as asked, at " + url + ": nothing goes to a real platform.";
            case SANDBOX_DEMO -> "Platform: none configured (BULKREG_MCS_BASE_URL), so the demo uses the built-in sandbox at "
                    + url + ": nothing goes to a real platform.";
        };
    }

    private Platform platformFor(boolean sandboxAsked) {
        if (mcs.baseUrl() != null) {
            if (sandboxAsked) {
                throw new ConfigurationProblem("--sandbox was given, but BULKREG_MCS_BASE_URL (bulkreg.mcs.base-url) names "
                        + "a platform: choose one. Nothing was imported or sent.");
            }
            return Platform.configured(mcs.devicesEndpoint());
        }
        if (sandboxAsked || mcs.useSandbox()) {
            return Platform.sandbox(Platform.Kind.SANDBOX_ASKED);
        }
        if (demo()) {
            return Platform.sandbox(Platform.Kind.SANDBOX_DEMO);
        }
        throw new ConfigurationProblem("No platform address is configured: set BULKREG_MCS_BASE_URL (bulkreg.mcs.base-url, "
                + "e.g. https://mcs.example.com) and BULKREG_MCS_TOKEN or BULKREG_MCS_TOKEN_FILE to register for real, or "
                + "ask for the built-in sandbox by name with `--sandbox` (or BULKREG_MCS_USESANDBOX=true). Only the demo "
                + "database under ./data uses the sandbox unasked. Nothing was imported or sent.");
    }

    private void refuseIfOtherPlatformOnRecord(Platform platform) {
        List<PlatformHistory.Sent> others = history.otherThan(platform.recordedAs());
        if (others.isEmpty()) {
            return;
        }
        String held = others.stream().map(s -> s.platform() + " (" + s.devices() + " devices)")
                .collect(Collectors.joining(", "));
        throw new ConfigurationProblem("This database holds credentials issued by " + held + ", and this run would send "
                + "to " + platform.recordedAs() + ". One database keeps the credentials of one platform, so that export "
                + "never hands the flashing station keys of two. If the platform really changed, run again with "
                + "--allow-platform-change (or BULKREG_MCS_ALLOWPLATFORMCHANGE=true); otherwise check "
                + "BULKREG_MCS_BASE_URL and the database. Nothing was imported or sent.");
    }
}
