package io.bulkreg.registration;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.mcs.Credential;
import io.bulkreg.mcs.McsError;
import io.bulkreg.mcs.RegistrationOutcome;
import io.bulkreg.registration.FaultPolicy.Attempts;
import io.bulkreg.registration.FaultPolicy.Decision;
import io.bulkreg.registration.FaultPolicy.StoreFailure;
import io.bulkreg.registration.FaultPolicy.Streak;
import io.bulkreg.registration.FaultPolicy.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fault policy's table, decision by decision (docs/reliability.md states it for operators). */
class FaultPolicyTest {

    static FaultProperties properties(int maxAttempts, int breaker) {
        return new FaultProperties(maxAttempts, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(10),
                breaker, 3, false, 3, Path.of("rescue"), 30, Set.of(4014), null);
    }

    final FaultPolicy policy = new FaultPolicy(properties(3, 2));

    static RegistrationOutcome rejected(int status) {
        return new RegistrationOutcome.Rejected(new McsError(status, 4022, null, "refused"));
    }

    static RegistrationOutcome inDoubt() {
        return new RegistrationOutcome.InDoubt("read timeout", null);
    }

    static RegistrationOutcome registered() {
        return new RegistrationOutcome.Registered(List.of(new Credential("d", "k", null)));
    }

    /** The policy's decision for a first sending, no breaker count before it. */
    Decision decide(RegistrationOutcome outcome, int devices, int attempt) {
        return policy.decide(outcome, devices, attempt, Streak.NONE).decision();
    }

    /** The decisions for these answers in a row, each counting on the streak the previous one left. */
    List<Decision> inARow(RegistrationOutcome... outcomes) {
        Streak streak = Streak.NONE;
        List<Decision> decisions = new ArrayList<>();
        for (RegistrationOutcome outcome : outcomes) {
            Verdict verdict = policy.decide(outcome, outcome instanceof RegistrationOutcome.Rejected ? 1 : 5, 1, streak);
            decisions.add(verdict.decision());
            streak = verdict.streak();
        }
        return decisions;
    }

    static Optional<String> stopOf(Decision d) {
        return d instanceof Decision.Reject r ? r.stopRun() : ((Decision.HoldInDoubt) d).stopRun();
    }

    static RegistrationOutcome notTaken(Duration retryAfter) {
        return new RegistrationOutcome.NotTaken("503", new McsError(503, null, null, null), retryAfter);
    }

    @Test
    void givenAContentRefusalOfSeveralDevices_whenDecided_thenTheRequestIsSplit() {
        assertThat(decide(rejected(400), 8, 1)).isInstanceOf(Decision.Split.class);
    }

    @Test
    void givenAContentRefusalOfOneDevice_whenDecided_thenThatDeviceIsRejected() {
        assertThat(decide(rejected(409), 1, 1)).isInstanceOf(Decision.Reject.class);
    }

    static RegistrationOutcome alreadyRegistered() {
        return new RegistrationOutcome.Rejected(new McsError(400, 4014, null, "serial already registered for the product"));
    }

    @Test
    void givenADeviceResentAfterDoubtRefusedAsAlreadyRegistered_whenDecided_thenItIsHeldByThePlatformOutsideTheBreaker() {
        Streak before = new Streak(1, 0);   // one genuine refusal counted (the breaker trips at 3 here)

        Verdict verdict = policy.decide(alreadyRegistered(), 1, Attempts.FIRST, before, true);

        assertThat(verdict.decision()).isInstanceOf(Decision.HeldByPlatform.class);
        assertThat(verdict.streak().rejected()).as("neither counted nor reset").isEqualTo(1);
    }

    @Test
    void givenANeverSentDeviceOrAnotherCode_whenRefusedAlone_thenItIsAGenuineRefusalThatCounts() {
        Verdict neverSent = policy.decide(alreadyRegistered(), 1, Attempts.FIRST, Streak.NONE, false);
        Verdict otherCode = policy.decide(rejected(400), 1, Attempts.FIRST, Streak.NONE, true);

        assertThat(neverSent.decision()).isInstanceOf(Decision.Reject.class);
        assertThat(neverSent.streak().rejected()).isEqualTo(1);
        assertThat(otherCode.decision()).isInstanceOf(Decision.Reject.class);
        assertThat(otherCode.streak().rejected()).isEqualTo(1);
    }

    @Test
    void givenA404Or413_whenDecided_thenTheRunFailsInsteadOfRejectingTheLot() {
        assertThat(decide(rejected(404), 50, 1)).isInstanceOf(Decision.FailRun.class);
        assertThat(decide(rejected(413), 50, 1)).isInstanceOf(Decision.FailRun.class);
    }

    @Test
    void givenARedirect_whenDecided_thenTheRunFailsAsAWrongAddressInsteadOfSplitting() {
        for (int status : new int[] {301, 302, 307, 308}) {
            assertThat(decide(rejected(status), 50, 1)).as("HTTP %d", status).isInstanceOfSatisfying(Decision.FailRun.class,
                    fail -> assertThat(fail.message()).contains("check bulkreg.mcs.base-url", "a redirect means another address"));
        }
    }

    @Test
    void givenNotTakenWithinTheBudget_whenDecided_thenItIsRetriedAndAfterTheBudgetTheRunFails() {
        assertThat(decide(notTaken(null), 5, 1)).isInstanceOf(Decision.Retry.class);
        assertThat(decide(notTaken(null), 5, 2)).isInstanceOf(Decision.Retry.class);
        assertThat(decide(notTaken(null), 5, 3)).isInstanceOf(Decision.FailRun.class);
    }

    @Test
    void givenARetryAfter_whenTheBackoffIsComputed_thenItIsNeverShorterThanTheHeaderUpToTheCap() {
        for (int i = 0; i < 200; i++) {
            assertThat(policy.backoff(1, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
            assertThat(policy.backoff(1, Duration.ofHours(5))).isEqualTo(Duration.ofSeconds(10));
        }
    }

    @Test
    void givenARetryAfterOfCenturies_whenTheBackoffIsComputed_thenItIsCappedWithoutOverflow() {
        assertThat(policy.backoff(1, Duration.ofSeconds(Long.MAX_VALUE / 2))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void givenNoRetryAfter_whenTheBackoffIsComputed_thenItGrowsExponentiallyWithJitterUpToTheMaximum() {
        for (int i = 0; i < 200; i++) {
            assertThat(policy.backoff(1, null).toMillis()).isBetween(50L, 100L);
            assertThat(policy.backoff(3, null).toMillis()).isBetween(200L, 400L);
            assertThat(policy.backoff(30, null).toMillis()).isBetween(1000L, 2000L);
        }
    }

    @Test
    void givenAnswersInDoubtInARow_whenTheBreakerCountIsReached_thenTheDecisionStopsTheRunAndSaysWhy() {
        List<Decision> decisions = inARow(inDoubt(), inDoubt());

        assertThat(stopOf(decisions.get(0))).isEmpty();
        assertThat(stopOf(decisions.get(1))).hasValueSatisfying(why -> assertThat(why)
                .contains("2 requests in a row ended in doubt (last: read timeout)"));
    }

    @Test
    void givenAnAnswerBetweenDoubts_whenDecided_thenTheBreakerCountStartsAgain() {
        assertThat(stopOf(inARow(inDoubt(), registered(), inDoubt()).get(2))).isEmpty();
        assertThat(stopOf(inARow(inDoubt(), rejected(400), inDoubt()).get(2))).as("a refusal is an answer").isEmpty();
    }

    @Test
    void givenDevicesRefusedOneAfterAnother_whenTheRejectionBreakerCountIsReached_thenTheDecisionStopsTheRun() {
        List<Decision> decisions = inARow(rejected(400), rejected(400), rejected(400));

        assertThat(stopOf(decisions.get(0))).isEmpty();
        assertThat(stopOf(decisions.get(1))).isEmpty();
        assertThat(stopOf(decisions.get(2))).hasValueSatisfying(why -> assertThat(why)
                .contains("3 devices in a row were refused by the platform", "configuration problem"));
    }

    @Test
    void givenARegistrationBetweenRefusals_whenDecided_thenTheRejectionCountStartsAgain() {
        assertThat(stopOf(inARow(rejected(400), rejected(400), registered(), rejected(400)).get(3))).isEmpty();
    }

    @Test
    void givenALeaseThatAnotherRunTook_whenAboutToSend_thenTheRunStopsAndSaysWhy() {
        assertThat(policy.stopBeforeSending(true, Optional.empty())).isEmpty();
        assertThat(policy.stopBeforeSending(false, Optional.empty())).hasValueSatisfying(why -> assertThat(why)
                .contains("recovered this one as abandoned"));
    }

    @Test
    void givenTheDatabaseRefusesCredentials_whenStoring_thenTheStoreIsRetriedAndAfterTheBudgetTheyAreRescued() {
        RequestId request = new RequestId("r-1");
        RuntimeException refused = new IllegalStateException("disk full");

        assertThat(policy.afterStoreFailure(request, 1, refused)).isEqualTo(new StoreFailure.RetryStore(Duration.ofMillis(500)));
        assertThat(policy.afterStoreFailure(request, 2, refused)).isEqualTo(new StoreFailure.RetryStore(Duration.ofMillis(1000)));
        assertThat(policy.afterStoreFailure(request, 3, refused)).isInstanceOfSatisfying(StoreFailure.Rescue.class,
                rescue -> assertThat(rescue.stopRun(Path.of("rescue/r-1.credentials.json")))
                        .contains("refused the credentials of request r-1 (disk full)", "rescue/r-1.credentials.json"));
    }

    @Test
    void givenARefusedToken_whenDecided_thenTheRunFailsAtOnce() {
        Decision d = decide(new RegistrationOutcome.Unauthorized(new McsError(401, 4001, null, "token")), 5, 1);
        assertThat(d).isInstanceOf(Decision.FailRun.class);
        assertThat(((Decision.FailRun) d).message()).contains("refused the token");
    }
}
