package io.bulkreg.mcs;

import java.time.Clock;
import org.apache.hc.core5.http.HttpStatus;

/**
 * Classifies an HTTP answer into a {@link RegistrationOutcome}, by HTTP status first (only code 1002 is a documented
 * platform code; others are opaque): see {@link RegistrationOutcome} for what each class means to the job.
 */
final class AnswerClassifier {

    private final CredentialsReader credentials = new CredentialsReader();
    private final Clock clock;

    AnswerClassifier(Clock clock) {
        this.clock = clock;
    }

    RegistrationOutcome classify(McsAnswer answer, int deviceCount, boolean singleDevice) {
        int status = answer.status();
        if (status == HttpStatus.SC_OK) {
            return registered(answer, deviceCount, singleDevice);
        }
        McsError error = McsErrorParser.parse(status, answer.body());
        if (status == HttpStatus.SC_UNAUTHORIZED || status == HttpStatus.SC_FORBIDDEN) {
            return new RegistrationOutcome.Unauthorized(error);
        }
        if (status >= HttpStatus.SC_CLIENT_ERROR && Integer.valueOf(McsError.NO_ACCESS_RIGHT).equals(error.code())) {
            return new RegistrationOutcome.Unauthorized(error);
        }
        // 408: the server gave up waiting for the request before processing it, so it did not take it.
        if (status == HttpStatus.SC_TOO_MANY_REQUESTS || status == HttpStatus.SC_SERVICE_UNAVAILABLE
                || status == HttpStatus.SC_REQUEST_TIMEOUT) {
            return new RegistrationOutcome.NotTaken(error.summary() + ": the platform did not take the request", error,
                    RetryAfter.parse(answer.retryAfter(), clock.instant()));
        }
        if (status == HttpStatus.SC_INTERNAL_SERVER_ERROR || status == HttpStatus.SC_BAD_GATEWAY
                || status == HttpStatus.SC_GATEWAY_TIMEOUT) {
            return new RegistrationOutcome.InDoubt(error.summary() + ": the devices may have been registered", status);
        }
        // A redirect (redirects are not followed: a resent POST could register twice) comes from an address that is not
        // the platform's endpoint: refused as a whole, and the fault policy stops the run instead of splitting.
        if ((status >= HttpStatus.SC_CLIENT_ERROR && status < HttpStatus.SC_SERVER_ERROR)
                || (status >= HttpStatus.SC_REDIRECTION && status < HttpStatus.SC_CLIENT_ERROR)) {
            return new RegistrationOutcome.Rejected(error);
        }
        String reason = "unexpected HTTP status " + status + ": the devices may have been registered"
                + (answer.body() == null ? " (the answer could not be read: " + answer.bodyFailure() + ")" : "");
        // Another success status (201, 202...) may carry the credentials: kept, never guessed from.
        return isSuccess(status) ? new RegistrationOutcome.InDoubt(reason, status, kept(answer))
                : new RegistrationOutcome.InDoubt(reason, status);
    }

    private static boolean isSuccess(int status) {
        return status >= HttpStatus.SC_SUCCESS && status < HttpStatus.SC_REDIRECTION;
    }

    /**
     * The answer to keep: the body, or the part that arrived before it broke off (it may hold keys issued once); null
     * when there is nothing to settle from.
     */
    private static RawAnswer kept(McsAnswer answer) {
        byte[] body = answer.body() != null ? answer.body() : answer.partialBody();
        return body == null || body.length == 0 ? null : new RawAnswer(answer.status(), body);
    }

    private RegistrationOutcome registered(McsAnswer answer, int deviceCount, boolean singleDevice) {
        if (answer.body() == null) {
            return new RegistrationOutcome.InDoubt("HTTP 200 but the answer could not be read: " + answer.bodyFailure(),
                    HttpStatus.SC_OK, kept(answer));
        }
        CredentialsReader.Result result = singleDevice
                ? credentials.single(answer.body())
                : credentials.bulk(answer.body(), deviceCount);
        return result.failure() == null
                ? new RegistrationOutcome.Registered(result.credentials())
                : new RegistrationOutcome.InDoubt(result.failure(), HttpStatus.SC_OK, kept(answer));
    }
}
