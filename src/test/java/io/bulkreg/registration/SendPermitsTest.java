package io.bulkreg.registration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The process's permits to send: the AIMD limit of requests in flight, and the rate limit. */
class SendPermitsTest {

    static SendPermits.Permit take(SendPermits permits) {
        return permits.tryAcquire().orElseThrow(() -> new AssertionError("no permit"));
    }

    @Test
    void givenEightInFlight_whenTheyAre429d_thenTheLimitHalvesDownToOne() throws Exception {
        SendPermits permits = SendPermits.of(8);

        take(permits).throttled();
        assertThat(permits.limit()).isEqualTo(4);
        take(permits).throttled();
        take(permits).throttled();
        take(permits).throttled();

        assertThat(permits.limit()).isEqualTo(1);
    }

    @Test
    void givenAShrunkLimit_whenAnswersAreTakenAgain_thenItGrowsBackToTheConcurrency() throws Exception {
        SendPermits permits = SendPermits.of(8);
        take(permits).throttled();
        take(permits).throttled();
        take(permits).throttled();

        for (int i = 0; i < 50; i++) {
            // As many in flight as the limit allows, all answered: the additive increase
            List<SendPermits.Permit> inFlight = new ArrayList<>();
            for (int k = 0; k < permits.limit(); k++) {
                inFlight.add(take(permits));
            }
            inFlight.forEach(SendPermits.Permit::answered);
        }

        assertThat(permits.limit()).isEqualTo(8);
    }

    @Test
    void givenALimitOfTwoInFlight_whenAThirdIsAskedFor_thenNoneComesUntilOneIsGivenBack() throws Exception {
        SendPermits permits = SendPermits.of(2);
        SendPermits.Permit first = take(permits);
        take(permits);

        assertThat(permits.tryAcquire()).isEmpty();   // after about a second
        first.unanswered();
        assertThat(permits.tryAcquire()).isPresent();
    }

    @Test
    void givenARateOf20PerSecond_whenFourThreadsSendAsFastAsTheyCan_thenNoSecondHoldsMoreThan20() throws Exception {
        SendPermits permits = new SendPermits(4, 20, Duration.ofSeconds(30));
        List<Long> sent = Collections.synchronizedList(new ArrayList<>());
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            runs.add(threads.submit(() -> {
                for (int i = 0; i < 15; i++) {
                    SendPermits.Permit permit = permits.tryAcquire().orElse(null);
                    if (permit == null) {
                        i--;
                        continue;
                    }
                    permits.awaitTurn();
                    sent.add(System.nanoTime());
                    permit.answered();
                }
                return null;
            }));
        }
        for (Future<?> run : runs) {
            run.get(30, TimeUnit.SECONDS);
        }
        threads.shutdown();

        assertThat(sent).hasSize(60);
        assertThat(RateMeasure.mostInAnySecond(sent)).isLessThanOrEqualTo(20);
        List<Long> sorted = new ArrayList<>(sent);
        Collections.sort(sorted);
        assertThat(sorted.get(59) - sorted.get(0)).as("60 sends at 20/s take about 3 s")
                .isGreaterThan(TimeUnit.MILLISECONDS.toNanos(2900));
    }

    @Test
    void givenARateOf10PerSecond_whenTwoTurnsAreTakenBackToBack_thenTheSecondSaysHowLongItWaited() throws Exception {
        SendPermits permits = new SendPermits(1, 10, Duration.ofSeconds(30));

        Duration first = permits.awaitTurn();
        Duration second = permits.awaitTurn();

        assertThat(first).as("a token was there").isZero();
        assertThat(second).as("about 1.15 / 10 s").isBetween(Duration.ofMillis(80), Duration.ofMillis(600));
    }
}
