package io.bulkreg.sandbox;

import static io.bulkreg.sandbox.SandboxHttp.json;
import static io.bulkreg.sandbox.SandboxHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class McsSandboxValidationTest {

    private McsSandbox sandbox = McsSandbox.start(SandboxSettings.defaults()
            .withMaxDevicesPerRequest(3)
            .withProductsRequiringSerial(Set.of("needsSerial"))
            .withRejectNamesContaining("#REJECT#"));

    @AfterEach
    void close() {
        sandbox.close();
    }

    @Test
    void given_no_token_when_posted_then_401_in_the_later_error_shape() {
        HttpResponse<String> response = post(sandbox, null, device("p", "n", "true", null));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo(
                "{\"errors\":[{\"code\":4001,\"message\":\"token is incorrect\"}],\"statusCode\":401,\"message\":\"Unauthorized\"}");
        assertThat(sandbox.devices()).isEmpty();
    }

    @Test
    void given_a_wrong_token_when_posted_then_401() {
        assertThat(post(sandbox, "sandbox-tokem", devices(device("p", "n", "true", null))).statusCode()).isEqualTo(401);
    }

    @Test
    void given_malformed_json_when_posted_then_400_code_4000() {
        assertRefused(post(sandbox, "{\"devices\":["), 400, 4000);
    }

    @Test
    void given_a_device_without_name_when_posted_then_400_code_4010() {
        assertRefused(post(sandbox, devices("{\"prodId\":\"p\",\"isTest\":true}")), 400, 4010);
    }

    @Test
    void given_is_test_as_a_string_when_posted_then_400_code_4011() {
        assertRefused(post(sandbox, devices(device("p", "n", "\"true\"", null))), 400, 4011);
    }

    @Test
    void given_a_serial_with_a_dash_when_posted_then_400_code_4012() {
        assertRefused(post(sandbox, devices(device("p", "n", "false", "mtk-01234"))), 400, 4012);
    }

    @Test
    void given_a_serial_of_50_characters_when_posted_then_400_code_4012() {
        assertRefused(post(sandbox, devices(device("p", "n", "false", "A".repeat(50)))), 400, 4012);
    }

    @Test
    void given_a_product_requiring_serials_when_a_non_test_device_has_none_then_400_code_4013() {
        assertRefused(post(sandbox, devices(device("needsSerial", "n", "false", null))), 400, 4013);
    }

    @Test
    void given_a_product_requiring_serials_when_a_test_device_has_none_then_it_is_registered() {
        assertThat(post(sandbox, devices(device("needsSerial", "n", "true", null))).statusCode()).isEqualTo(200);
    }

    @Test
    void given_a_registered_serial_when_registered_again_in_a_batch_then_400_code_4014_and_nothing_registered() {
        post(sandbox, devices(device("p", "first", "false", "S1")));

        HttpResponse<String> response = post(sandbox, devices(device("p", "fresh", "false", "S2"), device("p", "again", "false", "S1")));

        assertRefused(response, 400, 4014);
        assertThat(response.body()).doesNotContain("again").doesNotContain("S1");
        assertThat(sandbox.devices()).extracting(SandboxDevice::name).containsExactly("first");
        assertThat(sandbox.registrationsOf("p", "S1")).isEqualTo(1);
    }

    @Test
    void given_the_same_serial_for_another_product_when_registered_then_it_is_accepted() {
        post(sandbox, devices(device("p", "first", "false", "S1")));

        assertThat(post(sandbox, devices(device("q", "other", "false", "S1"))).statusCode()).isEqualTo(200);
    }

    @Test
    void given_a_serial_twice_in_one_request_when_posted_then_400_code_4015_and_nothing_registered() {
        assertRefused(post(sandbox, devices(device("p", "a", "false", "S1"), device("p", "b", "false", "S1"))), 400, 4015);
        assertThat(sandbox.devices()).isEmpty();
    }

    @Test
    void given_more_devices_than_allowed_when_posted_then_413_code_4016() {
        String four = devices(device("p", "a", "true", null), device("p", "b", "true", null),
                device("p", "c", "true", null), device("p", "d", "true", null));

        assertRefused(post(sandbox, four), 413, 4016);
    }

    @Test
    void given_an_empty_devices_array_when_posted_then_400_code_4017() {
        assertRefused(post(sandbox, "{\"devices\":[]}"), 400, 4017);
    }

    @Test
    void given_a_name_with_the_reject_marker_when_posted_then_400_code_4022_for_the_whole_request() {
        HttpResponse<String> response = post(sandbox, devices(device("p", "fine", "true", null), device("p", "bad #REJECT# one", "true", null)));

        assertRefused(response, 400, 4022);
        assertThat(json(response).get("results").get("description").stringValue()).isEqualTo("device rejected");
        assertThat(sandbox.devices()).isEmpty();
    }

    private void assertRefused(HttpResponse<String> response, int status, int code) {
        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode results = json(response).get("results");
        assertThat(results.get("code").intValue()).isEqualTo(code);
        assertThat(results.get("url").stringValue()).isEqualTo(sandbox.baseUrl() + "/api_errorcode?code=" + code);
        assertThat(results.get("description").stringValue()).isNotBlank();
    }

    static String devices(String... devices) {
        return "{\"devices\":[" + String.join(",", devices) + "]}";
    }

    static String device(String prodId, String name, String isTestJson, String serial) {
        return "{\"prodId\":\"" + prodId + "\",\"name\":\"" + name + "\",\"isTest\":" + isTestJson
                + (serial == null ? "" : ",\"serial\":\"" + serial + "\"") + "}";
    }
}
