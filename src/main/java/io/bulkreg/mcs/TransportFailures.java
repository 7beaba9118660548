package io.bulkreg.mcs;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.NoHttpResponseException;

/**
 * Classifies an exchange that failed without an HTTP answer. Only failures that happen before the request can leave
 * (no connection, no name, no TLS session, no free pooled connection) are NotTaken; after that the platform may
 * have registered the devices, so every other failure is InDoubt.
 */
final class TransportFailures {

    RegistrationOutcome classify(IOException e) {
        if (e instanceof ConnectTimeoutException) {
            return notTaken("connect timed out", e);
        }
        if (e instanceof ConnectionRequestTimeoutException) {
            return notTaken("no pooled connection became free in time", e);
        }
        if (e instanceof ConnectException) {
            // Also HttpHostConnectException: connection refused or unreachable.
            return notTaken("could not connect", e);
        }
        if (e instanceof UnknownHostException) {
            return notTaken("unknown host", e);
        }
        if (e instanceof SSLHandshakeException) {
            return notTaken("TLS handshake failed", e);
        }
        if (e instanceof SSLPeerUnverifiedException) {
            // Host name verification runs on the new connection, before the request is written.
            return notTaken("the platform's certificate does not match its host name", e);
        }
        if (e instanceof NoRouteToHostException) {
            return notTaken("no route to the platform", e);
        }
        if (e instanceof NoHttpResponseException) {
            return inDoubt("the connection closed without an HTTP answer after the request was sent", e);
        }
        if (e instanceof SocketTimeoutException) {
            return inDoubt("no answer within the read timeout", e);
        }
        if (e instanceof SocketException) {
            return inDoubt("the connection failed after the request may have been sent", e);
        }
        return inDoubt("I/O failure after the request may have been sent", e);
    }

    /**
     * A failure that is not an I/O error, without an answer: a pool already shut down refuses before anything is
     * written; anything else may have happened after the request was written, so it is in doubt, never left in flight.
     */
    RegistrationOutcome classify(RuntimeException e) {
        if (e instanceof IllegalStateException && e.getMessage() != null && e.getMessage().contains("shut down")) {
            return notTaken("the connection pool is shut down", e);
        }
        return inDoubt("unexpected failure while sending", e);
    }

    private static RegistrationOutcome notTaken(String what, Exception e) {
        return new RegistrationOutcome.NotTaken(what + " (" + describe(e) + "): the request never left", null, null);
    }

    private static RegistrationOutcome inDoubt(String what, Exception e) {
        return new RegistrationOutcome.InDoubt(what + " (" + describe(e) + "): the devices may have been registered", null);
    }

    /** Exception class and message only: transport messages name hosts, never headers or bodies. */
    static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
