package io.bulkreg.mcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulkreg.sandbox.McsSandbox;
import io.bulkreg.sandbox.SandboxDevice;
import io.bulkreg.sandbox.SandboxFault;
import io.bulkreg.sandbox.SandboxSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reading devices by id against the sandbox, and what the client keeps of an answer it cannot use whole. */
class HttpMcsClientReadDevicesTest {

    private final McsSandbox sandbox = McsSandbox.start(SandboxSettings.defaults());
    private final HttpMcsClient client = new HttpMcsClient(McsClientSettings.of(URI.create(sandbox.baseUrl()),
            SandboxSettings.DEFAULT_TOKEN));

    @AfterEach
    void close() {
        client.close();
        sandbox.close();
    }

    private List<DeviceRequest> devices(int n) {
        List<DeviceRequest> devices = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            devices.add(new DeviceRequest("p1234567890", "dev " + i, false, null, "S" + i));
        }
        return devices;
    }

    @Test
    void given_registered_devices_when_read_by_id_then_each_comes_with_product_name_and_serial_and_no_key() {
        client.register(devices(3));
        List<SandboxDevice> held = sandbox.devices();

        List<PlatformDevice> read = client.readDevices(List.of(held.get(2).deviceId(), "unknown1", held.get(0).deviceId()));

        assertThat(read).containsExactly(
                new PlatformDevice(held.get(2).deviceId(), "p1234567890", "dev 3", "S3", "MT7697"),
                new PlatformDevice(held.get(0).deviceId(), "p1234567890", "dev 1", "S1", "MT7697"));
    }

    @Test
    void given_more_ids_than_one_get_carries_when_read_then_all_are_found() {
        int n = HttpMcsClient.IDS_PER_READ + 7;
        client.register(devices(n));

        List<PlatformDevice> read = client.readDevices(sandbox.devices().stream().map(SandboxDevice::deviceId).toList());

        assertThat(read).hasSize(n);
    }

    @Test
    void given_only_unknown_ids_when_read_then_none_is_found() {
        assertThat(client.readDevices(List.of("nope1", "nope2"))).isEmpty();
    }

    @Test
    void given_a_wrong_token_when_reading_then_it_fails_naming_the_status_and_not_the_token() {
        try (HttpMcsClient wrong = new HttpMcsClient(McsClientSettings.of(URI.create(sandbox.baseUrl()), "wrong-token-77"))) {
            assertThatThrownBy(() -> wrong.readDevices(List.of("x")))
                    .isInstanceOf(DeviceReadException.class)
                    .hasMessageContaining("401")
                    .hasMessageNotContaining("wrong-token-77");
        }
    }

    @Test
    void given_a_short_answer_when_registering_then_it_is_in_doubt_and_carries_the_answer_with_the_issued_keys() {
        sandbox.arm(new SandboxFault.ShortAnswer(), 1);

        RegistrationOutcome outcome = client.register(devices(4));

        assertThat(outcome).isInstanceOf(RegistrationOutcome.InDoubt.class);
        RawAnswer kept = ((RegistrationOutcome.InDoubt) outcome).answer();
        assertThat(kept).isNotNull();
        assertThat(kept.httpStatus()).isEqualTo(200);
        assertThat(kept.toString()).doesNotContain(sandbox.devices().get(0).deviceKey());
        AnswerCredentials.Carried carried = AnswerCredentials.read(kept.body());
        assertThat(carried.entries()).isEqualTo(3);
        assertThat(carried.credentials()).extracting(Credential::deviceKey)
                .containsExactlyElementsOf(sandbox.devices().subList(0, 3).stream().map(SandboxDevice::deviceKey).toList());
    }

    @Test
    void given_an_answer_cut_halfway_when_registering_then_it_is_in_doubt_and_keeps_the_keys_that_arrived_whole() {
        sandbox.arm(new SandboxFault.CutAnswer(), 1);

        RegistrationOutcome outcome = client.register(devices(10));

        assertThat(outcome).isInstanceOfSatisfying(RegistrationOutcome.InDoubt.class, doubt -> assertThat(doubt.reason())
                .startsWith("HTTP 200 but the answer could not be read"));
        RawAnswer kept = ((RegistrationOutcome.InDoubt) outcome).answer();
        assertThat(kept).as("the half of the answer that arrived").isNotNull();
        AnswerCredentials.Carried carried = AnswerCredentials.read(kept.body());
        assertThat(carried.entries()).isBetween(1, 9);
        assertThat(carried.credentials()).extracting(Credential::deviceKey).containsExactlyElementsOf(sandbox.devices()
                .subList(0, carried.entries()).stream().map(SandboxDevice::deviceKey).toList());
    }

    @Test
    void given_a_201_with_every_credential_when_registering_then_it_is_in_doubt_and_the_answer_is_carried() {
        sandbox.arm(new SandboxFault.Created(), 1);

        RegistrationOutcome outcome = client.register(devices(2));

        assertThat(outcome).isInstanceOf(RegistrationOutcome.InDoubt.class);
        RawAnswer kept = ((RegistrationOutcome.InDoubt) outcome).answer();
        assertThat(kept.httpStatus()).isEqualTo(201);
        assertThat(AnswerCredentials.read(kept.body()).credentials()).hasSize(2);
    }

    @Test
    void given_a_500_when_registering_then_it_is_in_doubt_with_no_answer_to_keep() {
        sandbox.arm(SandboxFault.Status.of(500), 1);

        RegistrationOutcome outcome = client.register(devices(2));

        assertThat(((RegistrationOutcome.InDoubt) outcome).answer()).isNull();
    }
}
