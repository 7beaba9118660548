package io.bulkreg.mcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlatformEndpointTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://mcs.example.com", "https://mcs.example.com/", "https://mcs.example.com/mcs/v2",
            "https://mcs.example.com/mcs/v2/", "https://mcs.example.com/mcs/v2/devices",
            "https://mcs.example.com/mcs/v2/devices/", "HTTPS://MCS.Example.com:443/MCS/v2", "https://mcs.example.com//mcs/v2"})
    void givenTheAddressAsOperatorsWriteIt_thenRequestsGoToTheOneDevicesEndpoint(String written) {
        assertThat(PlatformEndpoint.devicesEndpoint(URI.create(written)))
                .isEqualTo(URI.create("https://mcs.example.com/mcs/v2/devices"));
    }

    @Test
    void givenAGatewayPrefixAndAPort_thenBothAreKept() {
        assertThat(PlatformEndpoint.devicesEndpoint(URI.create("https://gw.example.com:8443/iot/mcs/v2/devices")))
                .isEqualTo(URI.create("https://gw.example.com:8443/iot/mcs/v2/devices"));
        assertThat(PlatformEndpoint.devicesEndpoint(URI.create("http://127.0.0.1:8080/iot/")))
                .isEqualTo(URI.create("http://127.0.0.1:8080/iot/mcs/v2/devices"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mcs.example.com", "https://user:secret@mcs.example.com", "https://mcs.example.com/?x=1",
            "https://mcs.example.com/#top"})
    void givenAnAddressThatCannotBeMeant_thenItIsAProblem(String written) {
        assertThat(PlatformEndpoint.problem(URI.create(written))).isNotNull();
    }

    @Test
    void givenAnAddressLongerThanThePlatformColumnHolds_thenItIsAProblem() {
        assertThat(PlatformEndpoint.problem(URI.create("https://mcs.example.com/p/" + "x".repeat(900)))).contains("longer");
    }

    @Test
    void givenAPlainAddress_thenItIsNoProblem() {
        assertThat(PlatformEndpoint.problem(URI.create("https://mcs.example.com/mcs/v2"))).isNull();
    }
}
