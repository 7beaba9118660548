package io.bulkreg.mcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Answers the sandbox does not produce on purpose (odd bodies, odd statuses), classified directly. */
class AnswerClassifierTest {

    private static final Instant NOW = Instant.parse("2015-10-21T07:28:00Z");
    private final AnswerClassifier classifier = new AnswerClassifier(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void given_a_400_with_an_html_body_when_classified_then_rejected_with_the_status_kept() {
        assertThat(classify(400, null, "<html>bad</html>", 1))
                .isEqualTo(new RegistrationOutcome.Rejected(new McsError(400, null, null, null)));
    }

    @Test
    void given_a_503_carrying_code_1002_when_classified_then_unauthorized() {
        assertThat(classify(503, null, "{\"results\":{\"code\":1002}}", 1)).isInstanceOf(RegistrationOutcome.Unauthorized.class);
    }

    @Test
    void given_a_429_with_an_http_date_when_classified_then_not_taken_with_the_time_until_then() {
        RegistrationOutcome outcome = classify(429, "Wed, 21 Oct 2015 07:28:10 GMT", "", 1);

        assertThat(((RegistrationOutcome.NotTaken) outcome).retryAfter()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void given_a_redirect_when_classified_then_refused_as_a_whole_for_the_policy_to_stop_the_run() {
        // Redirects are not followed (a resent POST could register twice): the address is not the platform's endpoint.
        assertThat(classify(302, null, "", 1)).isInstanceOfSatisfying(RegistrationOutcome.Rejected.class,
                r -> assertThat(r.error().httpStatus()).isEqualTo(302));
    }

    @Test
    void given_a_200_credential_without_device_id_when_classified_then_in_doubt_keeping_the_answer() {
        String body = "{\"credentials\":[{\"deviceKey\":\"k\"}]}";
        assertThat(classify(200, null, body, 1)).isInstanceOfSatisfying(RegistrationOutcome.InDoubt.class, d -> {
            assertThat(d.reason()).isEqualTo("HTTP 200 but credential 1 of 1 has no deviceId");
            assertThat(d.httpStatus()).isEqualTo(200);
            assertThat(d.answer().body()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
        });
    }

    @Test
    void given_a_201_when_classified_then_in_doubt_keeping_the_answer() {
        assertThat(classify(201, null, "{\"credentials\":[]}", 1)).isInstanceOfSatisfying(RegistrationOutcome.InDoubt.class,
                d -> assertThat(d.answer().httpStatus()).isEqualTo(201));
    }

    @Test
    void given_a_502_when_classified_then_in_doubt_with_nothing_kept() {
        assertThat(classify(502, null, "<html>bad gateway</html>", 1)).isInstanceOfSatisfying(RegistrationOutcome.InDoubt.class,
                d -> assertThat(d.answer()).isNull());
    }

    @Test
    void given_a_200_credential_without_key_when_classified_then_in_doubt() {
        assertThat(classify(200, null, "{\"credentials\":[{\"deviceId\":\"d\",\"devicekey\":\"k\"}]}", 1))
                .isInstanceOf(RegistrationOutcome.InDoubt.class);
    }

    @Test
    void given_a_200_credential_with_two_different_keys_when_classified_then_in_doubt() {
        assertThat(classify(200, null, "{\"credentials\":[{\"deviceId\":\"d\",\"deviceKey\":\"k1\",\"deivceKey\":\"k2\"}]}", 1))
                .isInstanceOf(RegistrationOutcome.InDoubt.class);
    }

    @Test
    void given_a_200_whose_body_failed_mid_way_when_classified_then_in_doubt_with_the_failure() {
        RegistrationOutcome outcome = classifier.classify(new McsAnswer(200, null, null, "SocketTimeoutException: Read timed out"), 1, false);

        assertThat(outcome).isEqualTo(new RegistrationOutcome.InDoubt(
                "HTTP 200 but the answer could not be read: SocketTimeoutException: Read timed out", 200));
    }

    @Test
    void given_a_200_with_the_typo_spelling_when_classified_then_the_key_is_taken() {
        RegistrationOutcome outcome = classify(200, null, "{\"credentials\":[{\"deviceId\":\"d1\",\"deivceKey\":\"k1\"}]}", 1);

        assertThat(outcome).isEqualTo(new RegistrationOutcome.Registered(List.of(new Credential("d1", "k1", null))));
    }

    private RegistrationOutcome classify(int status, String retryAfter, String body, int devices) {
        return classifier.classify(new McsAnswer(status, retryAfter, body.getBytes(StandardCharsets.UTF_8), null), devices, false);
    }
}
