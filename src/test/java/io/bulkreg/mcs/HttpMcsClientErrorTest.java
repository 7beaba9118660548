package io.bulkreg.mcs;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.sandbox.McsSandbox;
import io.bulkreg.sandbox.SandboxFault;
import io.bulkreg.sandbox.SandboxSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpMcsClientErrorTest {

    private static final List<DeviceRequest> ONE = List.of(new DeviceRequest("p", "n", true, null, null));

    private final McsSandbox sandbox = McsSandbox.start(SandboxSettings.defaults().withRejectNamesContaining("#BAD#"));
    private final HttpMcsClient client = client(SandboxSettings.DEFAULT_TOKEN);

    @AfterEach
    void close() {
        client.close();
        sandbox.close();
    }

    @Test
    void given_a_wrong_token_when_registering_then_unauthorized_with_the_later_error_shape_read() {
        try (HttpMcsClient wrong = client("wrong-token")) {
            RegistrationOutcome outcome = wrong.register(ONE);

            assertThat(outcome).isEqualTo(new RegistrationOutcome.Unauthorized(new McsError(401, 4001, null, "token is incorrect")));
            assertThat(outcome.toString()).doesNotContain("wrong-token");
        }
    }

    @Test
    void given_403_with_code_1002_when_registering_then_unauthorized() {
        sandbox.arm(SandboxFault.Status.of(403), 1);

        RegistrationOutcome outcome = client.register(ONE);

        assertThat(outcome).isInstanceOf(RegistrationOutcome.Unauthorized.class);
        assertThat(((RegistrationOutcome.Unauthorized) outcome).error().code()).isEqualTo(McsError.NO_ACCESS_RIGHT);
    }

    @Test
    void given_a_400_with_code_1002_when_registering_then_unauthorized_not_rejected() {
        sandbox.arm(new SandboxFault.ErrorCode(400, 1002, "You do not have access right to this API"), 1);

        assertThat(client.register(ONE)).isInstanceOf(RegistrationOutcome.Unauthorized.class);
    }

    @Test
    void given_429_with_retry_after_when_registering_then_not_taken_with_the_wait_and_exactly_one_post() {
        sandbox.arm(new SandboxFault.Status(429, 1), 1);

        RegistrationOutcome outcome = client.register(ONE);

        assertThat(outcome).isInstanceOf(RegistrationOutcome.NotTaken.class);
        RegistrationOutcome.NotTaken notTaken = (RegistrationOutcome.NotTaken) outcome;
        assertThat(notTaken.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(notTaken.error().httpStatus()).isEqualTo(429);
        assertThat(sandbox.requestCount()).isEqualTo(1);
        assertThat(sandbox.devices()).isEmpty();
    }

    @Test
    void given_503_with_retry_after_when_registering_then_not_taken_and_httpclient_did_not_retry_the_post() {
        sandbox.arm(new SandboxFault.Status(503, 1), 2);

        RegistrationOutcome outcome = client.register(ONE);

        assertThat(outcome).isInstanceOf(RegistrationOutcome.NotTaken.class);
        assertThat(sandbox.requestCount()).isEqualTo(1);
    }

    @Test
    void given_503_without_retry_after_when_registering_then_not_taken_without_a_wait() {
        sandbox.arm(SandboxFault.Status.of(503), 1);

        RegistrationOutcome outcome = client.register(ONE);

        assertThat(((RegistrationOutcome.NotTaken) outcome).retryAfter()).isNull();
    }

    @Test
    void given_500_when_registering_then_in_doubt_with_the_status() {
        sandbox.arm(SandboxFault.Status.of(500), 1);

        RegistrationOutcome outcome = client.register(ONE);

        assertThat(outcome).isInstanceOf(RegistrationOutcome.InDoubt.class);
        assertThat(((RegistrationOutcome.InDoubt) outcome).httpStatus()).isEqualTo(500);
    }

    @Test
    void given_408_when_registering_then_not_taken_and_exactly_one_post() {
        sandbox.arm(SandboxFault.Status.of(408), 1);

        assertThat(client.register(ONE)).isInstanceOf(RegistrationOutcome.NotTaken.class);
        assertThat(sandbox.requestCount()).isEqualTo(1);
    }

    @Test
    void given_a_redirect_when_registering_then_refused_as_a_whole_not_followed_and_not_in_doubt() {
        for (int status : new int[] {301, 302, 307, 308}) {
            sandbox.arm(SandboxFault.Status.of(status), 1);

            RegistrationOutcome outcome = client.register(ONE);

            assertThat(outcome).as("HTTP %d", status).isInstanceOf(RegistrationOutcome.Rejected.class);
            assertThat(((RegistrationOutcome.Rejected) outcome).error().httpStatus()).isEqualTo(status);
        }
        assertThat(sandbox.requestCount()).as("no redirect followed").isEqualTo(4);
    }

    @Test
    void given_a_client_whose_pool_is_shut_down_when_registering_then_not_taken_instead_of_thrown_and_nothing_sent() {
        client.close();

        assertThat(client.register(ONE)).isInstanceOf(RegistrationOutcome.NotTaken.class);
        assertThat(sandbox.requestCount()).isZero();
    }

    @Test
    void given_501_when_registering_then_in_doubt() {
        sandbox.arm(SandboxFault.Status.of(501), 1);

        assertThat(client.register(ONE)).isInstanceOf(RegistrationOutcome.InDoubt.class);
    }

    @Test
    void given_a_registered_serial_when_registered_again_then_rejected_with_code_url_and_description() {
        client.register(List.of(new DeviceRequest("p", "first", false, null, "S1")));

        RegistrationOutcome outcome = client.register(List.of(new DeviceRequest("p", "again", false, null, "S1")));

        assertThat(outcome).isEqualTo(new RegistrationOutcome.Rejected(new McsError(400, 4014,
                sandbox.baseUrl() + "/api_errorcode?code=4014", "serial already registered for the product")));
        assertThat(sandbox.registrationsOf("p", "S1")).isEqualTo(1);
    }

    @Test
    void given_a_name_the_platform_rejects_when_registering_a_batch_then_rejected_and_nothing_registered() {
        RegistrationOutcome outcome = client.register(List.of(
                new DeviceRequest("p", "ok", true, null, null), new DeviceRequest("p", "x #BAD# y", true, null, null)));

        assertThat(outcome).isInstanceOf(RegistrationOutcome.Rejected.class);
        assertThat(((RegistrationOutcome.Rejected) outcome).error().code()).isEqualTo(4022);
        assertThat(sandbox.devices()).isEmpty();
    }

    @Test
    void given_an_unlisted_4xx_when_registering_then_rejected_keeping_the_status() {
        sandbox.arm(SandboxFault.Status.of(418), 1);

        RegistrationOutcome outcome = client.register(ONE);

        assertThat(((RegistrationOutcome.Rejected) outcome).error().httpStatus()).isEqualTo(418);
    }

    private HttpMcsClient client(String token) {
        return new HttpMcsClient(McsClientSettings.of(URI.create(sandbox.baseUrl()), token));
    }
}
