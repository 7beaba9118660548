package io.bulkreg.registration;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.mcs.Credential;
import io.bulkreg.mcs.McsError;
import io.bulkreg.mcs.RegistrationOutcome;
import io.bulkreg.registration.FaultPolicy.Decision;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fault policy's table, decision by decision (docs/reliability.md states it for operators). */
class FaultPolicyTest {

    static FaultProperties properties(int maxAttempts, int breaker) {
        return new FaultProperties(maxAttempts, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(10),
                breaker, 3, false, 3, Path.of("rescue"));
    }

    final FaultPolicy policy = new FaultPolicy(properties(3, 2));

    static RegistrationOutcome rejected(int status) {
        return new RegistrationOutcome.Rejected(new McsError(status, 4022, null, "refused"));
    }

    static RegistrationOutcome inDoubt() {
        return new RegistrationOutcome.InDoubt("read timeout", null);
    }

    static RegistrationOutcome notTaken(Duration retryAfter) {
        return new RegistrationOutcome.NotTaken("503", new McsError(503, null, null, null), retryAfter);
    }

    @Test
    void givenAContentRefusalOfSeveralDevices_whenDecided_thenTheRequestIsSplit() {
        assertThat(policy.decide(rejected(400), 8, 1)).isInstanceOf(Decision.Split.class);
    }

    @Test
    void givenAContentRefusalOfOneDevice_whenDecided_thenThatDeviceIsRejected() {
        assertThat(policy.decide(rejected(409), 1, 1)).isInstanceOf(Decision.Reject.class);
    }

    @Test
    void givenA404Or413_whenDecided_thenTheRunFailsInsteadOfRejectingTheLot() {
        assertThat(policy.decide(rejected(404), 50, 1)).isInstanceOf(Decision.FailRun.class);
        assertThat(policy.decide(rejected(413), 50, 1)).isInstanceOf(Decision.FailRun.class);
    }

    @Test
    void givenNotTakenWithinTheBudget_whenDecided_thenItIsRetriedAndAfterTheBudgetTheRunFails() {
        assertThat(policy.decide(notTaken(null), 5, 1)).isInstanceOf(Decision.RetryAfter.class);
        assertThat(policy.decide(notTaken(null), 5, 2)).isInstanceOf(Decision.RetryAfter.class);
        assertThat(policy.decide(notTaken(null), 5, 3)).isInstanceOf(Decision.FailRun.class);
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
    void givenAnswersInDoubtInARow_whenTheBreakerCountIsReached_thenTheDecisionTripsIt() {
        assertThat(((Decision.HoldInDoubt) policy.decide(inDoubt(), 5, 1)).tripsBreaker()).isFalse();
        assertThat(((Decision.HoldInDoubt) policy.decide(inDoubt(), 5, 1)).tripsBreaker()).isTrue();
    }

    @Test
    void givenAnAnswerBetweenDoubts_whenDecided_thenTheBreakerCountStartsAgain() {
        policy.decide(inDoubt(), 5, 1);
        policy.decide(new RegistrationOutcome.Registered(List.of(new Credential("d", "k", null))), 1, 1);
        assertThat(((Decision.HoldInDoubt) policy.decide(inDoubt(), 5, 1)).tripsBreaker()).isFalse();
    }

    @Test
    void givenDevicesRefusedOneAfterAnother_whenTheRejectionBreakerCountIsReached_thenTheDecisionStopsTheRun() {
        assertThat(((Decision.Reject) policy.decide(rejected(400), 1, 1)).tripsBreaker()).isFalse();
        assertThat(((Decision.Reject) policy.decide(rejected(400), 1, 1)).tripsBreaker()).isFalse();
        assertThat(((Decision.Reject) policy.decide(rejected(400), 1, 1)).tripsBreaker()).isTrue();
    }

    @Test
    void givenARegistrationBetweenRefusals_whenDecided_thenTheRejectionCountStartsAgain() {
        policy.decide(rejected(400), 1, 1);
        policy.decide(rejected(400), 1, 1);
        policy.decide(new RegistrationOutcome.Registered(List.of(new Credential("d", "k", null))), 1, 1);
        assertThat(((Decision.Reject) policy.decide(rejected(400), 1, 1)).tripsBreaker()).isFalse();
    }

    @Test
    void givenARefusedToken_whenDecided_thenTheRunFailsAtOnce() {
        Decision d = policy.decide(new RegistrationOutcome.Unauthorized(new McsError(401, 4001, null, "token")), 5, 1);
        assertThat(d).isInstanceOf(Decision.FailRun.class);
        assertThat(((Decision.FailRun) d).message()).contains("refused the token");
    }
}
