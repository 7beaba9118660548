package io.bulkreg.sandbox;

import static io.bulkreg.sandbox.SandboxHttp.json;
import static io.bulkreg.sandbox.SandboxHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class McsSandboxRegistrationTest {

    private static final String TWO_DEVICES = """
            {"devices":[
              {"prodId":"a1234567890","name":"My 1st device","isTest":true},
              {"prodId":"b1234567890","name":"My 2nd device","isTest":false,"serial":"mtk01234","description":"d"}
            ]}""";

    private McsSandbox sandbox = McsSandbox.start(SandboxSettings.defaults());

    @AfterEach
    void close() {
        sandbox.close();
    }

    @Test
    void given_two_devices_when_posted_then_one_credential_each_in_order_with_both_key_spellings() {
        HttpResponse<String> response = post(sandbox, TWO_DEVICES);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode credentials = json(response).get("credentials");
        List<SandboxDevice> devices = sandbox.devices();
        assertThat(devices).extracting(SandboxDevice::name).containsExactly("My 1st device", "My 2nd device");
        assertThat(credentials.get(0).get("deviceId").stringValue()).isEqualTo(devices.get(0).deviceId());
        assertThat(credentials.get(0).get("deivceKey").stringValue()).isEqualTo(devices.get(0).deviceKey());
        assertThat(credentials.get(1).get("deviceId").stringValue()).isEqualTo(devices.get(1).deviceId());
        assertThat(credentials.get(1).get("deviceKey").stringValue()).isEqualTo(devices.get(1).deviceKey());
        assertThat(devices.get(1).serial()).isEqualTo("mtk01234");
        assertThat(devices.get(1).description()).isEqualTo("d");
        assertThat(devices.get(0).deviceId()).isNotEqualTo(devices.get(1).deviceId()).matches("[A-Za-z0-9]{10}");
        assertThat(devices.get(0).deviceKey()).matches("[A-Za-z0-9]{16,}");
    }

    @Test
    void given_a_body_without_devices_array_when_posted_then_the_single_device_revision_answers_with_chip_name() {
        HttpResponse<String> response = post(sandbox, """
                {"prodId":"p1","name":"solo","isTest":false,"serial":"S1","deviceImageURL":"http://img"}""");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        SandboxDevice device = sandbox.devices().get(0);
        assertThat(body.get("deviceId").stringValue()).isEqualTo(device.deviceId());
        assertThat(body.get("deviceKey").stringValue()).isEqualTo(device.deviceKey());
        assertThat(body.get("chipName").stringValue()).isEqualTo("MT7697");
    }

    @Test
    void given_registered_devices_when_read_by_ids_then_they_are_answered_without_keys() {
        post(sandbox, TWO_DEVICES);
        List<SandboxDevice> devices = sandbox.devices();

        HttpResponse<String> response = SandboxHttp.get(sandbox, devices.get(1).deviceId() + ",unknown," + devices.get(0).deviceId());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(devices.get(0).deviceKey()).doesNotContain(devices.get(1).deviceKey());
        assertThat(json(response).get("devices")).extracting(node -> node.get("deviceId").stringValue())
                .containsExactly(devices.get(1).deviceId(), devices.get(0).deviceId());
    }

    @Test
    void given_an_unknown_id_when_read_then_404() {
        assertThat(SandboxHttp.get(sandbox, "nope").statusCode()).isEqualTo(404);
    }

    @Test
    void given_any_posts_when_counted_then_every_post_is_in_the_ledger_with_its_status() {
        post(sandbox, TWO_DEVICES);
        post(sandbox, "not json");
        post(sandbox, "wrong", TWO_DEVICES);

        assertThat(sandbox.requestCount()).isEqualTo(3);
        assertThat(sandbox.requests()).containsExactly(
                new ReceivedRequest(1, 2, 200), new ReceivedRequest(2, 0, 400), new ReceivedRequest(3, 2, 401));
        assertThat(sandbox.registrationsOf("b1234567890", "mtk01234")).isEqualTo(1);
    }
}
