package io.bulkreg.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.cli.ExitCodes;
import io.bulkreg.sandbox.SandboxFault;
import io.bulkreg.sandbox.SandboxSettings;
import io.bulkreg.support.CliRun;
import io.bulkreg.support.JobSpec;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.OnEveryDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every class of outcome of a request, with the sandbox's faults armed: what the job does and what it leaves
 * in the tables. docs/reliability.md states the same table for operators.
 */
@OnEveryDatabase
class FaultClassesSpec extends JobSpec {

    @Override
    protected SandboxSettings sandboxSettings() {
        return SandboxSettings.defaults().withPort(0).withRejectNamesContaining("REFUSE-ME");
    }

    CliRun.Result register(String lot, Object... extra) {
        Map<String, Object> p = properties();
        p.put("bulkreg.mcs.devices-per-request", "5");
        p.put("bulkreg.faults.max-attempts", "3");
        for (int i = 0; i < extra.length; i += 2) {
            p.put((String) extra[i], extra[i + 1]);
        }
        Path file = dir.resolve(lot + ".csv");
        if (!file.toFile().exists()) {
            LotCsv.lot(lot).devices("prod-f", 10).write(dir);
        }
        return CliRun.run(p, "register", "--file", file.toString());
    }

    /**
     * Splitting assumes a refused request registered none of its devices. A platform that applied part of it first
     * holds those devices, and resending them is refused as a duplicate: this is what an operator then sees.
     */
    @Test
    void givenAPlatformThatAppliedPartOfARefusedRequest_whenSplit_thenTheAppliedDevicesEndRejectedAsAlreadyRegistered() {
        sandbox.arm(new SandboxFault.PartlyApplied(400, 4020, "the platform's fault injection: half applied"), 1);

        CliRun.Result run = register("LOT-F-PART");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).as("the platform holds every device").hasSize(10);
        assertThat(devices("REGISTERED")).isEqualTo(8);
        assertThat(devices("REJECTED")).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM registration_skip WHERE kind = 'API' AND error_code = 4014")).isEqualTo(2);
        assertThat(run.output()).contains("serial already registered for the product");
    }

    @Test
    void given429WithRetryAfter_whenRegistering_thenTheJobWaitsAtLeastThatLongAndSendsTheSameDevicesAgain() {
        sandbox.arm(new SandboxFault.Status(429, 1), 1);

        CliRun.Result run = register("LOT-F-429", "bulkreg.faults.retry-after-cap", "5s");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(devices("REGISTERED")).isEqualTo(10);
        assertThat(sandbox.requestCount()).isEqualTo(1 + 2);
        assertThat(sandbox.devices()).hasSize(10);
        assertThat(skips("API") + skips("IN_DOUBT")).isZero();
        List<Map<String, Object>> requests = jdbc().queryForList(
                "SELECT sent_at, answered_at, outcome FROM registration_request ORDER BY sent_at");
        assertThat(requests.get(0)).containsEntry("outcome", "NOT_TAKEN");
        long waitedMillis = Duration.between(instant(requests.get(0).get("answered_at")),
                instant(requests.get(1).get("sent_at"))).toMillis();
        assertThat(waitedMillis).as("the wait before the retry honours Retry-After: 1").isGreaterThanOrEqualTo(950);
    }

    static Instant instant(Object timestamp) {
        return timestamp instanceof OffsetDateTime o ? o.toInstant() : ((Timestamp) timestamp).toInstant();
    }

    @Test
    void given503BeyondTheRetryBudget_whenRegistering_thenTheRunFailsSkipsNothingAndTheNextRunContinues() {
        sandbox.arm(SandboxFault.Status.of(503), 3);

        CliRun.Result failed = register("LOT-F-503");

        assertThat(failed.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(failed.output()).contains("did not take the request after 3 attempts");
        assertThat(devices("PENDING")).isEqualTo(10);
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM registration_skip", Long.class)).isZero();

        CliRun.Result next = register("LOT-F-503");

        assertThat(next.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(devices("REGISTERED")).isEqualTo(10);
    }

    @Test
    void givenAPlatformThatRefusesConnections_whenRegistering_thenTheRunFailsAndEveryDeviceStaysPending() {
        sandbox.close();

        CliRun.Result run = register("LOT-F-DOWN");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(devices("PENDING")).isEqualTo(10);
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM registration_skip", Long.class)).isZero();
    }

    @Test
    void givenAnAnswerSlowerThanTheReadTimeout_whenRegistering_thenItsDevicesAreInDoubtAndNeverResent() {
        sandbox.arm(new SandboxFault.Hang(Duration.ofMillis(1500)), 1);

        CliRun.Result run = register("LOT-F-TIMEOUT", "bulkreg.mcs.read-timeout", "300ms");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ATTENTION);
        assertThat(devices("IN_DOUBT")).isEqualTo(5);
        assertThat(devices("REGISTERED")).isEqualTo(5);
        assertThat(skips("IN_DOUBT")).isEqualTo(5);
        int requests = sandbox.requestCount();

        register("LOT-F-TIMEOUT");

        assertThat(sandbox.requestCount()).isEqualTo(requests);
        assertThat(devices("IN_DOUBT")).isEqualTo(5);
    }

    @Test
    void givenA500_whenRegistering_thenItsDevicesAreInDoubtWithTheStatusRecorded() {
        sandbox.arm(SandboxFault.Status.of(500), 1);

        CliRun.Result run = register("LOT-F-500");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ATTENTION);
        assertThat(devices("IN_DOUBT")).isEqualTo(5);
        assertThat(db.jdbc().queryForList("SELECT DISTINCT http_status FROM registration_skip WHERE kind = 'IN_DOUBT'",
                Integer.class)).containsExactly(500);
    }

    @Test
    void givenAConnectionDroppedAfterThePlatformRegistered_whenRegistering_thenThoseDevicesAreInDoubt() {
        sandbox.arm(new SandboxFault.DropAfterRegister(), 1);

        CliRun.Result run = register("LOT-F-DROP");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ATTENTION);
        assertThat(sandbox.devices()).hasSize(10);
        assertThat(devices("IN_DOUBT")).isEqualTo(5);
        assertThat(devices("REGISTERED")).isEqualTo(5);
    }

    @Test
    void givenAnUnreadableOrShortAnswer_whenRegistering_thenNothingOfThatRequestIsStoredAsRegistered() {
        sandbox.arm(new SandboxFault.MalformedAnswer(), 1);
        sandbox.arm(new SandboxFault.ShortAnswer(), 1);

        CliRun.Result run = register("LOT-F-SHORT", "bulkreg.mcs.devices-per-request", "4");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ATTENTION);
        assertThat(devices("IN_DOUBT")).isEqualTo(8);
        assertThat(devices("REGISTERED")).isEqualTo(2);
        assertThat(db.jdbc().queryForList("SELECT error_description FROM registration_skip WHERE kind = 'IN_DOUBT'",
                String.class)).anySatisfy(d -> assertThat(d).containsIgnoringCase("credential"));
    }

    @Test
    void givenForbiddenWithCode1002_whenRegistering_thenTheRunFailsAtOnceAndSkipsNothing() {
        sandbox.arm(new SandboxFault.ErrorCode(400, 1002, "You do not have access right to this API"), 1);

        CliRun.Result run = register("LOT-F-1002");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(sandbox.requestCount()).isEqualTo(1);
        assertThat(devices("PENDING")).isEqualTo(10);
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM registration_skip", Long.class)).isZero();
    }

    @Test
    void givenConsecutiveAnswersInDoubt_whenRegistering_thenTheCircuitBreakerStopsTheRunAndSaysWhy() {
        LotCsv.lot("LOT-F-BREAKER").devices("prod-f", 30).write(dir);
        sandbox.arm(SandboxFault.Status.of(502), 3);

        CliRun.Result run = register("LOT-F-BREAKER", "bulkreg.faults.in-doubt-circuit-breaker", "3");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.output()).contains("3 requests in a row ended in doubt");
        assertThat(devices("IN_DOUBT")).isEqualTo(15);
        assertThat(devices("PENDING")).isEqualTo(15);
        assertThat(sandbox.requestCount()).isEqualTo(3);
    }

    @Test
    void givenAPlatformThatRefusesEveryDevice_whenRegistering_thenTheRejectionBreakerStopsTheRunAndTheRestStaysPending() {
        LotCsv csv = LotCsv.lot("LOT-F-REFUSED");
        for (int i = 1; i <= 20; i++) {
            csv.device("prod-f", "Unit " + i + " REFUSE-ME", "false", "FR" + i, null);
        }
        csv.write(dir);

        CliRun.Result run = register("LOT-F-REFUSED", "bulkreg.faults.rejection-circuit-breaker", "4");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.output()).contains("4 devices in a row were refused by the platform");
        assertThat(devices("REJECTED")).isEqualTo(4);
        assertThat(devices("PENDING")).isEqualTo(16);
    }

    @Test
    void givenNeverSentDevicesWhoseSerialsThePlatformHolds_whenRegistering_thenTheDefaultRejectionBreakerStopsTheRunAfter25()
            throws Exception {
        LotCsv csv = LotCsv.lot("LOT-F-TAKEN").devices("prod-f", 30);
        csv.write(dir);
        StringBuilder elsewhere = new StringBuilder("{\"devices\":[");
        for (int i = 1; i <= 30; i++) {   // another system registered these serials: genuine refusals, not resends
            elsewhere.append(i == 1 ? "" : ",").append("{\"prodId\":\"prod-f\",\"name\":\"Elsewhere ").append(i)
                    .append("\",\"isTest\":false,\"serial\":\"LOTFTAKENS").append(String.format("%04d", i)).append("\"}");
        }
        HttpResponse<String> taken = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/mcs/v2/devices"))
                        .header("Authorization", "Bearer " + settings.token())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(elsewhere.append("]}").toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(taken.statusCode()).isEqualTo(200);

        CliRun.Result run = register("LOT-F-TAKEN", "bulkreg.mcs.devices-per-request", "50");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.output()).contains("25 devices in a row were refused by the platform");
        assertThat(count("SELECT COUNT(*) FROM registration_skip WHERE kind = 'API' AND error_code = 4014")).isEqualTo(25);
        assertThat(skips("HELD_BY_PLATFORM")).isZero();
        assertThat(devices("PENDING")).isEqualTo(5);
    }
}
