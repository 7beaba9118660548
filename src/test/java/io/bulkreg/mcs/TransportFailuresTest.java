package io.bulkreg.mcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.Test;

/** The transport failures a local server cannot produce reliably (DNS, TLS, connect timeouts), classified directly. */
class TransportFailuresTest {

    private final TransportFailures failures = new TransportFailures();

    @Test
    void given_failures_before_the_request_left_when_classified_then_not_taken() {
        assertThat(failures.classify(new ConnectTimeoutException("connect timed out"))).isInstanceOf(RegistrationOutcome.NotTaken.class);
        assertThat(failures.classify(new HttpHostConnectException("Connection refused"))).isInstanceOf(RegistrationOutcome.NotTaken.class);
        assertThat(failures.classify(new UnknownHostException("api.example.invalid"))).isInstanceOf(RegistrationOutcome.NotTaken.class);
        assertThat(failures.classify(new SSLHandshakeException("PKIX path building failed"))).isInstanceOf(RegistrationOutcome.NotTaken.class);
    }

    @Test
    void given_failures_after_the_request_may_have_left_when_classified_then_in_doubt() {
        assertThat(failures.classify(new SocketTimeoutException("Read timed out"))).isInstanceOf(RegistrationOutcome.InDoubt.class);
        assertThat(failures.classify(new NoHttpResponseException("failed to respond"))).isInstanceOf(RegistrationOutcome.InDoubt.class);
        assertThat(failures.classify(new SocketException("Connection reset"))).isInstanceOf(RegistrationOutcome.InDoubt.class);
        assertThat(failures.classify(new SSLException("record overflow"))).isInstanceOf(RegistrationOutcome.InDoubt.class);
        assertThat(failures.classify(new IOException("stream closed"))).isInstanceOf(RegistrationOutcome.InDoubt.class);
    }
}
