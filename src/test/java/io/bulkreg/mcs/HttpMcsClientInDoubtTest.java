package io.bulkreg.mcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.bulkreg.sandbox.McsSandbox;
import io.bulkreg.sandbox.SandboxDevice;
import io.bulkreg.sandbox.SandboxFault;
import io.bulkreg.sandbox.SandboxSettings;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpMcsClientInDoubtTest {

    private static final List<DeviceRequest> TWO = List.of(
            new DeviceRequest("p", "a", false, null, "S1"), new DeviceRequest("p", "b", false, null, "S2"));

    private final McsSandbox sandbox = McsSandbox.start(SandboxSettings.defaults());
    private final HttpMcsClient client = new HttpMcsClient(McsClientSettings.of(URI.create(sandbox.baseUrl()), SandboxSettings.DEFAULT_TOKEN)
            .withReadTimeout(Duration.ofMillis(500)));

    @AfterEach
    void close() {
        client.close();
        sandbox.close();
    }

    @Test
    void given_the_connection_drops_after_registration_when_registering_then_in_doubt_and_the_platform_holds_the_devices() {
        sandbox.arm(new SandboxFault.DropAfterRegister(), 1);

        RegistrationOutcome outcome = client.register(TWO);

        assertThat(outcome).isInstanceOf(RegistrationOutcome.InDoubt.class);
        assertThat(((RegistrationOutcome.InDoubt) outcome).reason()).contains("NoHttpResponseException");
        assertThat(sandbox.devices()).hasSize(2);
        assertThat(sandbox.requestCount()).isEqualTo(1);
        assertNoKeyIn(((RegistrationOutcome.InDoubt) outcome).reason());
    }

    @Test
    void given_a_200_that_is_not_json_when_registering_then_in_doubt() {
        sandbox.arm(new SandboxFault.MalformedAnswer(), 1);

        RegistrationOutcome outcome = client.register(TWO);

        // In doubt, and the body kept for `reconcile` (a 2xx with a body may carry keys)
        assertThat(outcome).isInstanceOfSatisfying(RegistrationOutcome.InDoubt.class, d -> {
            assertThat(d.reason()).isEqualTo("HTTP 200 but the answer is not a JSON object");
            assertThat(d.httpStatus()).isEqualTo(200);
            assertThat(d.answer()).isNotNull();
        });
    }

    @Test
    void given_a_200_with_a_credential_missing_when_registering_then_in_doubt_and_no_credential_is_guessed() {
        sandbox.arm(new SandboxFault.ShortAnswer(), 1);

        RegistrationOutcome outcome = client.register(TWO);

        assertThat(outcome).isInstanceOfSatisfying(RegistrationOutcome.InDoubt.class, d -> {
            assertThat(d.reason()).isEqualTo("HTTP 200 with 1 credential(s) for 2 device(s)");
            assertThat(d.httpStatus()).isEqualTo(200);
            assertThat(d.answer()).as("the answer, kept for reconcile").isNotNull();
        });
        assertThat(sandbox.devices()).hasSize(2);
    }

    @Test
    void given_a_200_that_repeats_one_credential_for_another_device_when_registering_then_in_doubt_and_none_is_paired() {
        sandbox.arm(new SandboxFault.RepeatedCredential(1), 1);

        RegistrationOutcome outcome = client.register(TWO);

        // The count is right, but the second device's credential is the first's: pairing by position would store one
        // key on two rows and lose the other, so nothing is paired; the answer is kept for reconcile.
        assertThat(outcome).isInstanceOfSatisfying(RegistrationOutcome.InDoubt.class, d -> {
            assertThat(d.reason()).isEqualTo("HTTP 200 but credentials 1 and 2 of 2 carry the same deviceId");
            assertThat(d.httpStatus()).isEqualTo(200);
            assertThat(d.answer()).as("the answer, kept for reconcile").isNotNull();
            assertNoKeyIn(d.reason());
        });
        assertThat(sandbox.devices()).hasSize(2);
    }

    @Test
    void given_a_200_larger_than_any_answer_should_be_when_registering_then_in_doubt_and_only_its_first_part_is_read_and_kept() {
        sandbox.arm(new SandboxFault.OversizedAnswer(4 * HttpMcsClient.MAX_ANSWER_BYTES), 1);

        RegistrationOutcome outcome = client.register(TWO);

        assertThat(outcome).isInstanceOfSatisfying(RegistrationOutcome.InDoubt.class, d -> {
            assertThat(d.reason()).isEqualTo("HTTP 200 but the answer could not be read: the answer is larger than 4 MiB: "
                    + "not read further");
            assertThat(d.answer()).as("the part read, kept for reconcile: the credentials came first").isNotNull();
            assertThat(d.answer().body()).hasSize(HttpMcsClient.MAX_ANSWER_BYTES);
            assertThat(new String(d.answer().body(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains(sandbox.devices().get(0).deviceKey(), sandbox.devices().get(1).deviceKey());
        });
    }

    @Test
    void given_a_200_that_never_ends_when_registering_then_the_client_stops_reading_at_the_limit_and_keeps_what_it_read() {
        sandbox.arm(new SandboxFault.EndlessAnswer(), 1);

        // Without its end cut off, the read would go on as long as the platform writes: never.
        RegistrationOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> client.register(TWO));

        assertThat(outcome).isInstanceOfSatisfying(RegistrationOutcome.InDoubt.class, d -> {
            assertThat(d.reason()).contains("larger than 4 MiB");
            assertThat(d.answer().body()).hasSize(HttpMcsClient.MAX_ANSWER_BYTES);
        });
    }

    @Test
    void given_a_201_whose_body_breaks_off_when_registering_then_in_doubt_and_the_part_that_arrived_is_kept() {
        sandbox.arm(new SandboxFault.CutAnswer(201), 1);

        RegistrationOutcome outcome = client.register(TWO);

        assertThat(outcome).isInstanceOfSatisfying(RegistrationOutcome.InDoubt.class, d -> {
            assertThat(d.httpStatus()).isEqualTo(201);
            assertThat(d.answer()).as("the part that arrived: it may hold keys issued once").isNotNull();
            assertThat(d.answer().body()).isNotEmpty();
            assertNoKeyIn(d.reason());
        });
    }

    @Test
    void given_an_answer_slower_than_the_read_timeout_when_registering_then_in_doubt_and_the_devices_exist() {
        sandbox.arm(new SandboxFault.Hang(Duration.ofSeconds(3)), 1);

        RegistrationOutcome outcome = client.register(TWO);

        assertThat(outcome).isInstanceOf(RegistrationOutcome.InDoubt.class);
        assertThat(((RegistrationOutcome.InDoubt) outcome).reason()).contains("read timeout");
        assertThat(sandbox.devices()).hasSize(2);
    }

    @Test
    void given_nothing_listens_on_the_port_when_registering_then_not_taken() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (HttpMcsClient refused = new HttpMcsClient(McsClientSettings.of(URI.create("http://127.0.0.1:" + closedPort), "t"))) {

            RegistrationOutcome outcome = refused.register(TWO);

            assertThat(outcome).isInstanceOf(RegistrationOutcome.NotTaken.class);
            assertThat(((RegistrationOutcome.NotTaken) outcome).reason()).contains("could not connect");
        }
    }

    @Test
    void given_a_drop_then_a_normal_answer_when_registering_twice_then_the_client_recovers_on_a_new_connection() {
        sandbox.arm(new SandboxFault.DropAfterRegister(), 1);
        client.register(List.of(new DeviceRequest("p", "a", true, null, null)));

        assertThat(client.register(List.of(new DeviceRequest("p", "b", true, null, null))))
                .isInstanceOf(RegistrationOutcome.Registered.class);
    }

    private void assertNoKeyIn(String reason) {
        for (SandboxDevice device : sandbox.devices()) {
            assertThat(reason).doesNotContain(device.deviceKey());
        }
        assertThat(reason).doesNotContain(SandboxSettings.DEFAULT_TOKEN);
    }
}
