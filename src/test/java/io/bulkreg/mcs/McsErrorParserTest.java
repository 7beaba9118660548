package io.bulkreg.mcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class McsErrorParserTest {

    @Test
    void given_the_documented_results_shape_when_parsed_then_code_url_and_description_are_read() {
        McsError error = McsErrorParser.parse(403, bytes("""
                {"results":{"code":1002,"url":"http://mcs.mediatek.com/api_errorcode?code=1002","description":"You do not have access right to this API"}}"""));

        assertThat(error).isEqualTo(new McsError(403, 1002, "http://mcs.mediatek.com/api_errorcode?code=1002",
                "You do not have access right to this API"));
    }

    @Test
    void given_the_later_errors_shape_when_parsed_then_code_and_message_are_read() {
        McsError error = McsErrorParser.parse(401, bytes("""
                {"errors":[{"code":4001,"message":"token is incorrect"}],"statusCode":401,"message":"Unauthorized"}"""));

        assertThat(error).isEqualTo(new McsError(401, 4001, null, "token is incorrect"));
    }

    @Test
    void given_a_body_that_is_not_json_when_parsed_then_only_the_status_is_kept() {
        assertThat(McsErrorParser.parse(502, bytes("<html>Bad Gateway</html>"))).isEqualTo(new McsError(502, null, null, null));
    }

    @Test
    void given_no_body_when_parsed_then_only_the_status_is_kept() {
        assertThat(McsErrorParser.parse(404, null)).isEqualTo(new McsError(404, null, null, null));
    }

    @Test
    void given_a_code_sent_as_a_string_when_parsed_then_it_is_read_as_a_number() {
        assertThat(McsErrorParser.parse(400, bytes("{\"results\":{\"code\":\"1002\"}}")).code()).isEqualTo(1002);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
