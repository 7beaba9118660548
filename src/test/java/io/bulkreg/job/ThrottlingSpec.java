package io.bulkreg.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.cli.ExitCodes;
import io.bulkreg.registration.RateMeasure;
import io.bulkreg.sandbox.ReceivedRequest;
import io.bulkreg.sandbox.SandboxDevice;
import io.bulkreg.sandbox.SandboxSettings;
import io.bulkreg.support.CliRun;
import io.bulkreg.support.JobSpec;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.OnEveryDatabase;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A platform with a rate limit (the sandbox answers 429 with Retry-After beyond 20 requests a second): the job held
 * under a configured limit never exceeds it, and without one slows down by itself and finishes. One run per database.
 */
@OnEveryDatabase
class ThrottlingSpec extends JobSpec {

    static final int RATE = 20;

    @Override
    protected SandboxSettings sandboxSettings() {
        return SandboxSettings.defaults().withPort(0).withMaxRequestsPerSecond(RATE);
    }

    long throttledRequests() {
        return sandbox.requests().stream().filter(r -> r.httpStatus() == 429).count();
    }

    void assertEveryDeviceRegisteredOnceWithItsKey(int devices) {
        Map<String, SandboxDevice> byName = sandbox.devices().stream()
                .collect(Collectors.toMap(SandboxDevice::name, Function.identity()));   // throws on a name twice
        assertThat(byName).hasSize(devices);
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE status = 'REGISTERED'")).isEqualTo(devices);
        byName.values().forEach(d -> assertThat(jdbc().queryForObject("SELECT device_key FROM device_registration "
                + "WHERE name = ?", String.class, d.name())).isEqualTo(d.deviceKey()));
    }

    @Test
    void givenTheJobLimitedToThePlatformsRate_whenALotIsRegistered_thenTheSandboxNeverCountsMoreThanTheLimitInAnySecond() {
        Path lot = LotCsv.lot("LOT-RATE-1").devices("prod-r", 300).write(dir);

        CliRun.Result run = run(properties("bulkreg.mcs.devices-per-request", "5", "bulkreg.concurrency", "8",
                "bulkreg.mcs.max-requests-per-second", Integer.toString(RATE)), "register", "--file", lot.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(RateMeasure.mostInAnySecond(sandbox.arrivalNanos())).as("requests in any second, at the sandbox")
                .isLessThanOrEqualTo(RATE);
        assertThat(throttledRequests()).isZero();
        assertEveryDeviceRegisteredOnceWithItsKey(300);
    }

    @Test
    void givenNoLimitConfigured_whenThePlatformThrottles_thenTheRunSlowsDownByItselfAndFinishes() {
        Path lot = LotCsv.lot("LOT-RATE-2").devices("prod-r", 300).write(dir);

        // Two attempts would fail the run at the second 429 of a request if 429s spent them
        CliRun.Result run = run(properties("bulkreg.mcs.devices-per-request", "5", "bulkreg.concurrency", "8",
                "bulkreg.faults.max-attempts", "2"), "register", "--file", lot.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(throttledRequests()).as("the sandbox throttled the run").isPositive();
        assertThat(sandbox.requests()).extracting(ReceivedRequest::httpStatus).containsOnly(200, 429);
        assertEveryDeviceRegisteredOnceWithItsKey(300);
        assertThat(run.output()).contains("throttled");
    }
}
