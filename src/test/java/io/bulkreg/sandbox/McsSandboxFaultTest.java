package io.bulkreg.sandbox;

import static io.bulkreg.sandbox.McsSandboxValidationTest.device;
import static io.bulkreg.sandbox.McsSandboxValidationTest.devices;
import static io.bulkreg.sandbox.SandboxHttp.json;
import static io.bulkreg.sandbox.SandboxHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class McsSandboxFaultTest {

    private static final String ONE_DEVICE = devices(device("p", "n", "true", null));
    private static final String TWO_DEVICES = devices(device("p", "a", "true", null), device("p", "b", "true", null));

    private McsSandbox sandbox = McsSandbox.start(SandboxSettings.defaults());

    @AfterEach
    void close() {
        sandbox.close();
    }

    @Test
    void given_429_armed_with_retry_after_when_posted_then_429_with_the_header_and_nothing_registered() {
        sandbox.arm(new SandboxFault.Status(429, 7), 1);

        HttpResponse<String> response = post(sandbox, ONE_DEVICE);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(json(response).get("errors").get(0).get("code").intValue()).isEqualTo(9429);
        assertThat(sandbox.devices()).isEmpty();
    }

    @Test
    void given_403_armed_when_posted_then_the_documented_code_1002() {
        sandbox.arm(SandboxFault.Status.of(403), 1);

        HttpResponse<String> response = post(sandbox, ONE_DEVICE);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response).get("results").get("code").intValue()).isEqualTo(1002);
    }

    @Test
    void given_a_fault_armed_twice_when_three_posts_arrive_then_the_first_two_spend_it() {
        sandbox.arm(SandboxFault.Status.of(503), 2);

        assertThat(post(sandbox, ONE_DEVICE).statusCode()).isEqualTo(503);
        assertThat(post(sandbox, ONE_DEVICE).statusCode()).isEqualTo(503);
        assertThat(post(sandbox, ONE_DEVICE).statusCode()).isEqualTo(200);
        assertThat(sandbox.devices()).hasSize(1);
    }

    @Test
    void given_drop_after_register_when_posted_then_the_client_reads_no_response_byte_but_the_devices_exist() throws Exception {
        sandbox.arm(new SandboxFault.DropAfterRegister(), 1);
        URI uri = URI.create(sandbox.baseUrl());
        byte[] body = TWO_DEVICES.getBytes(StandardCharsets.UTF_8);

        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /mcs/v2/devices HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sandbox-token\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();

            assertThat(in.read()).as("end of stream without any response byte").isEqualTo(-1);
        }
        assertThat(sandbox.devices()).hasSize(2);
        assertThat(sandbox.requests()).containsExactly(new ReceivedRequest(1, 2, ReceivedRequest.DROPPED));
    }

    @Test
    void given_malformed_answer_when_posted_then_200_that_is_not_json_and_the_device_exists() {
        sandbox.arm(new SandboxFault.MalformedAnswer(), 1);

        HttpResponse<String> response = post(sandbox, ONE_DEVICE);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotStartWith("{");
        assertThat(sandbox.devices()).hasSize(1);
    }

    @Test
    void given_short_answer_when_two_devices_posted_then_one_credential_and_two_devices_exist() {
        sandbox.arm(new SandboxFault.ShortAnswer(), 1);

        HttpResponse<String> response = post(sandbox, TWO_DEVICES);

        assertThat(json(response).get("credentials").size()).isEqualTo(1);
        assertThat(sandbox.devices()).hasSize(2);
    }

    @Test
    void given_hang_when_posted_then_the_answer_comes_after_the_delay_and_the_device_is_registered_before() {
        sandbox.arm(new SandboxFault.Hang(Duration.ofMillis(300)), 1);
        long start = System.nanoTime();

        HttpResponse<String> response = post(sandbox, ONE_DEVICE);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void given_latency_when_posted_then_each_answer_waits_for_it() {
        try (McsSandbox slow = McsSandbox.start(SandboxSettings.defaults().withLatency(Duration.ofMillis(200)))) {
            long start = System.nanoTime();

            assertThat(post(slow, ONE_DEVICE).statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void given_an_entry_without_device_id_armed_when_posted_then_all_are_registered_and_that_entry_lacks_its_id() {
        sandbox.arm(new SandboxFault.EntryWithoutDeviceId(1), 1);

        HttpResponse<String> response = post(sandbox, TWO_DEVICES);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(sandbox.devices()).hasSize(2);
        var credentials = json(response).get("credentials");
        assertThat(credentials.size()).isEqualTo(2);
        assertThat(credentials.get(0).get("deviceId").stringValue()).isEqualTo(sandbox.devices().get(0).deviceId());
        assertThat(credentials.get(1).has("deviceId")).isFalse();
        assertThat(credentials.get(1).toString()).contains(sandbox.devices().get(1).deviceKey());
    }

    @Test
    void given_created_armed_when_posted_then_all_are_registered_and_answered_with_201() {
        sandbox.arm(new SandboxFault.Created(), 1);

        HttpResponse<String> response = post(sandbox, TWO_DEVICES);

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(sandbox.devices()).hasSize(2);
        assertThat(json(response).get("credentials").size()).isEqualTo(2);
    }

    @Test
    void given_registered_devices_when_read_by_id_then_the_answer_describes_them_without_their_keys() {
        post(sandbox, devices(device("p", "a", "false", "S1"), device("p", "b", "true", null)));
        SandboxDevice first = sandbox.devices().get(0);

        HttpResponse<String> response = SandboxHttp.get(sandbox, first.deviceId());

        var read = json(response).get("devices").get(0);
        assertThat(read.get("deviceId").stringValue()).isEqualTo(first.deviceId());
        assertThat(read.get("prodId").stringValue()).isEqualTo("p");
        assertThat(read.get("name").stringValue()).isEqualTo("a");
        assertThat(read.get("serial").stringValue()).isEqualTo("S1");
        assertThat(read.get("isTest").booleanValue()).isFalse();
        assertThat(read.get("chipName").stringValue()).isEqualTo("MT7697");
        assertThat(response.body()).doesNotContain(first.deviceKey()).doesNotContain("eviceKey").doesNotContain("deivceKey");
    }
}
