package io.bulkreg.mcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulkreg.sandbox.McsSandbox;
import io.bulkreg.sandbox.SandboxDevice;
import io.bulkreg.sandbox.SandboxSettings;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpMcsClientRegistrationTest {

    private final McsSandbox sandbox = McsSandbox.start(SandboxSettings.defaults());
    private final HttpMcsClient client = new HttpMcsClient(McsClientSettings.of(URI.create(sandbox.baseUrl()), SandboxSettings.DEFAULT_TOKEN));

    @AfterEach
    void close() {
        client.close();
        sandbox.close();
    }

    @Test
    void given_three_devices_when_registered_then_credentials_come_in_request_order_whatever_the_key_spelling() {
        List<DeviceRequest> devices = List.of(
                new DeviceRequest("a1234567890", "first", true, null, null),
                new DeviceRequest("b1234567890", "second", false, "desc", "mtk01234"),
                new DeviceRequest("b1234567890", "third", false, null, "mtk01235"));

        RegistrationOutcome outcome = client.register(devices);

        assertThat(outcome).isInstanceOf(RegistrationOutcome.Registered.class);
        List<Credential> credentials = ((RegistrationOutcome.Registered) outcome).credentials();
        List<SandboxDevice> stored = sandbox.devices();
        assertThat(stored).extracting(SandboxDevice::name).containsExactly("first", "second", "third");
        assertThat(credentials).extracting(Credential::deviceId).containsExactlyElementsOf(stored.stream().map(SandboxDevice::deviceId).toList());
        assertThat(credentials).extracting(Credential::deviceKey).containsExactlyElementsOf(stored.stream().map(SandboxDevice::deviceKey).toList());
        assertThat(stored.get(0).description()).isNull();
        assertThat(stored.get(0).serial()).isNull();
        assertThat(stored.get(1).description()).isEqualTo("desc");
    }

    @Test
    void given_single_device_mode_when_one_device_registered_then_the_credential_carries_the_chip_name() {
        try (HttpMcsClient single = new HttpMcsClient(McsClientSettings.of(URI.create(sandbox.baseUrl()), SandboxSettings.DEFAULT_TOKEN)
                .withSingleDeviceMode(true))) {

            RegistrationOutcome outcome = single.register(List.of(new DeviceRequest("p", "solo", false, null, "S1")));

            Credential credential = ((RegistrationOutcome.Registered) outcome).credentials().get(0);
            assertThat(credential.chipName()).isEqualTo("MT7697");
            assertThat(credential.deviceId()).isEqualTo(sandbox.devices().get(0).deviceId());
            assertThat(credential.deviceKey()).isEqualTo(sandbox.devices().get(0).deviceKey());
        }
    }

    @Test
    void given_single_device_mode_when_two_devices_are_given_then_the_call_is_refused_before_sending() {
        try (HttpMcsClient single = new HttpMcsClient(McsClientSettings.of(URI.create(sandbox.baseUrl()), SandboxSettings.DEFAULT_TOKEN)
                .withSingleDeviceMode(true))) {

            assertThatThrownBy(() -> single.register(List.of(new DeviceRequest("p", "a", true, null, null),
                    new DeviceRequest("p", "b", true, null, null)))).isInstanceOf(IllegalArgumentException.class);
            assertThat(sandbox.requestCount()).isZero();
        }
    }

    @Test
    void given_naughty_strings_when_registered_then_the_platform_stores_exactly_what_was_sent() {
        List<String> naughty = List.of(
                "Ω≈ç√∫˜µ≤≥÷ 田中さんにあげて下さい",
                "👩‍👩‍👧‍👦 🏳️‍🌈 \uD83D\uDE00",
                "\u202Eevil\u202C RTL \u200F\u200E mark",
                "tab\tnew\nline\rcr\u0001\u001F\u007F",
                "quotes \" ' \\ / <script>alert(1)</script>",
                "  leading and trailing  ",
                "\uFEFFbom and zero\u200Bwidth",
                "Z̮̞̠͙͔ͅḀ̗̞͈̻̗Ḷ͙͎̯̹̞͓G̻O̭̗̮",
                "ｔｅｓｔ ①②③ ﷽");
        List<DeviceRequest> devices = naughty.stream()
                .map(s -> new DeviceRequest("p", s, true, s, null))
                .toList();

        RegistrationOutcome outcome = client.register(devices);

        assertThat(outcome).isInstanceOf(RegistrationOutcome.Registered.class);
        assertThat(sandbox.devices()).extracting(SandboxDevice::name).containsExactlyElementsOf(naughty);
        assertThat(sandbox.devices()).extracting(SandboxDevice::description).containsExactlyElementsOf(naughty);
    }

    @Test
    void given_settings_when_printed_then_the_token_is_masked() {
        assertThat(McsClientSettings.of(URI.create(sandbox.baseUrl()), "super-secret").toString()).doesNotContain("super-secret");
    }
}
