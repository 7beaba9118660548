package io.bulkreg.cli;

import io.bulkreg.lot.LotProperties;
import io.bulkreg.mcs.McsClient;
import io.bulkreg.mcs.McsProperties;
import io.bulkreg.mcs.Platform;
import io.bulkreg.registration.PlatformHistory;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Which platform this process sends to. The built-in sandbox is never a fallback: it is used when asked for by name
 * ({@code --sandbox}, {@code bulkreg.mcs.use-sandbox}) or in the zero-configuration demo. Without a platform address
 * anywhere else the command refuses to run, so that a misspelt variable cannot store the sandbox's made-up keys as
 * credentials; and a database keeps the credentials of one platform ({@link PlatformHistory}) unless an operator
 * allows a change. Decided once per process, by the command that sends, before anything is imported.
 */
@Component
public class PlatformChoice {

    /** application.yml's database: with it and nothing else configured, the job runs as the demo. */
    public static final String DEMO_DATASOURCE_URL = "jdbc:h2:file:./data/bulkreg;FILE_LOCK=FS";

    private final McsProperties mcs;
    private final LotProperties lots;
    private final Environment environment;
    private final PlatformHistory history;
    private final ObjectProvider<McsClient> client;
    private volatile Platform chosen;

    public PlatformChoice(McsProperties mcs, LotProperties lots, Environment environment, PlatformHistory history,
            ObjectProvider<McsClient> client) {
        this.mcs = mcs;
        this.lots = lots;
        this.environment = environment;
        this.history = history;
        this.client = client;
    }

    /**
     * The zero-configuration demo: the default database and nothing of a real installation (a platform address, a
     * token, an inbox). A production set-up that kept the default database is not a demo.
     */
    public boolean demo() {
        return DEMO_DATASOURCE_URL.equals(environment.getProperty("spring.datasource.url")) && mcs.baseUrl() == null
                && mcs.token() == null && mcs.tokenFile() == null && lots.inbox() == null;
    }

    /**
     * Chooses the platform of this process and checks that the database may take its credentials; the first run
     * that sends from a database puts its platform on record.
     *
     * @param sandboxAsked  {@code --sandbox}
     * @param allowChange   {@code --allow-platform-change}
     * @throws ConfigurationProblem when no platform is configured outside the demo, its token cannot be read, or the
     *         database keeps the credentials of another platform and no change was allowed
     */
    public Platform choose(boolean sandboxAsked, boolean allowChange) {
        Platform platform = platformFor(sandboxAsked);
        if (!platform.isSandbox()) {
            requireToken();
        }
        putOnRecord(platform, allowChange || mcs.allowPlatformChange());
        chosen = platform;
        return platform;
    }

    /** The platform the command chose: only a command that sends chooses, before its run starts. */
    public Platform chosen() {
        Platform platform = chosen;
        if (platform == null) {
            throw new IllegalStateException("no platform chosen: only register and restart send, after PlatformChoice.choose");
        }
        return platform;
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

    /** What `rehearse` says of the platform a run would send to, without choosing it. */
    public String wouldSendTo() {
        try {
            Platform platform = platformFor(false);
            return platform.isSandbox() ? "the built-in sandbox (demo)" : platform.recordedAs();
        } catch (ConfigurationProblem e) {
            return "no platform: `register` would refuse to run (set BULKREG_MCS_BASE_URL, or --sandbox)";
        }
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
                + "(the database under ./data and nothing else configured) uses the sandbox unasked. Nothing was imported "
                + "or sent.");
    }

    private void requireToken() {
        String token;
        try {
            token = mcs.resolveToken();
        } catch (UncheckedIOException e) {
            throw new ConfigurationProblem("The platform token file " + mcs.tokenFile() + " (BULKREG_MCS_TOKEN_FILE) cannot "
                    + "be read: " + e.getCause().getMessage() + ". Nothing was imported or sent.");
        }
        if (token == null || token.isBlank()) {
            throw new ConfigurationProblem("No platform token: set BULKREG_MCS_TOKEN or BULKREG_MCS_TOKEN_FILE (the file "
                    + (mcs.tokenFile() == null ? "is not set" : mcs.tokenFile() + " is empty") + "). Nothing was imported or sent.");
        }
    }

    private void putOnRecord(Platform platform, boolean changeAllowed) {
        Optional<PlatformHistory.OnRecord> onRecord = history.onRecord();
        if (onRecord.isPresent() && onRecord.get().platform().equals(platform.recordedAs())) {
            return;
        }
        if (changeAllowed) {
            history.record(platform.recordedAs(), onRecord.isEmpty() && history.devicesOfUnrecordedPlatform() == 0
                    ? PlatformHistory.Reason.FIRST_RUN : PlatformHistory.Reason.CHANGE_ALLOWED);
            return;
        }
        String allow = " If the platform really changed, run once with --allow-platform-change (or "
                + "BULKREG_MCS_ALLOWPLATFORMCHANGE=true): it becomes the platform of record. Nothing was imported or sent.";
        if (onRecord.isPresent()) {
            throw new ConfigurationProblem("This database keeps the credentials of " + onRecord.get().platform() + " ("
                    + onRecord.get().devices() + " devices registered or in doubt there), and this run would send to "
                    + platform.recordedAs() + ". One database keeps the credentials of one platform, so that export never "
                    + "hands the flashing station keys of two; check BULKREG_MCS_BASE_URL and the database." + allow);
        }
        long unrecorded = history.devicesOfUnrecordedPlatform();
        if (unrecorded > 0) {
            throw new ConfigurationProblem("This database holds " + unrecorded + " devices registered or in doubt before "
                    + "bulkreg recorded the platform, and this run would send to " + platform.recordedAs() + ". If that is "
                    + "where they were registered, confirm it once with --allow-platform-change (or "
                    + "BULKREG_MCS_ALLOWPLATFORMCHANGE=true). Nothing was imported or sent.");
        }
        history.record(platform.recordedAs(), PlatformHistory.Reason.FIRST_RUN);
    }
}
