package io.bulkreg.sandbox;

import io.bulkreg.sandbox.SandboxAnswer.CutShort;
import io.bulkreg.sandbox.SandboxAnswer.Drop;
import io.bulkreg.sandbox.SandboxAnswer.Respond;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides the answer to one registerDevice POST. Order: injected error statuses (a gateway answers them before
 * anything is looked at), token, body, content rules, registration, then the faults that spoil a success.
 */
final class RegisterDecision {

    private static final String UNAUTHORIZED = "Unauthorized";
    private static final String NOT_REGISTERED = "the platform's fault injection: nothing registered";

    private final DeviceValidator validator;
    private final DeviceRegistry registry;
    private final AnswerBodies bodies;

    RegisterDecision(DeviceValidator validator, DeviceRegistry registry, AnswerBodies bodies) {
        this.validator = validator;
        this.registry = registry;
        this.bodies = bodies;
    }

    /**
     * @param parsed     the body, or null when it could not be parsed ({@code parseError} then says why)
     * @param authorized whether the bearer token matched
     */
    SandboxAnswer decide(int requestNo, SandboxFault fault, boolean authorized, ParsedBody parsed,
                         SandboxRejection parseError) {
        if (fault instanceof SandboxFault.Status status) {
            return injectedStatus(status);
        }
        if (fault instanceof SandboxFault.ErrorCode error) {
            return Respond.json(error.status(), bodies.results(error.code(), error.description()));
        }
        if (!authorized) {
            return tokenIncorrect();
        }
        if (parseError != null) {
            return error(parseError.errorCode());
        }
        List<SandboxDevice> registered;
        try {
            List<NewDevice> devices = validator.validate(parsed);
            if (fault instanceof SandboxFault.PartlyApplied partly) {
                registry.register(requestNo, devices.subList(0, devices.size() / 2));
                return Respond.json(partly.status(), bodies.results(partly.code(), partly.description()));
            }
            registered = fault instanceof SandboxFault.LongKeys longKeys
                    ? registry.register(requestNo, devices, longKeys.length())
                    : registry.register(requestNo, devices);
        } catch (SandboxRejection rejection) {
            return error(rejection.errorCode());
        }
        return success(parsed.singleDevice(), registered, fault);
    }

    Respond tokenIncorrect() {
        SandboxErrorCode code = SandboxErrorCode.TOKEN_INCORRECT;
        return Respond.json(code.httpStatus(), bodies.errors(code.code(), code.description(), code.httpStatus(), UNAUTHORIZED));
    }

    /** Over the configured rate: 429 with Retry-After, nothing registered. */
    SandboxAnswer throttled(int retryAfterSeconds) {
        return injectedStatus(new SandboxFault.Status(HttpStatusCodes.TOO_MANY_REQUESTS, retryAfterSeconds));
    }

    Respond error(SandboxErrorCode code) {
        return Respond.json(code.httpStatus(), bodies.results(code.code(), code.description()));
    }

    private SandboxAnswer injectedStatus(SandboxFault.Status fault) {
        int status = fault.status();
        if (status == HttpStatusCodes.UNAUTHORIZED) {
            return tokenIncorrect();
        }
        if (status == HttpStatusCodes.FORBIDDEN) {
            return error(SandboxErrorCode.NO_ACCESS_RIGHT);
        }
        int code = SandboxErrorCode.forInjectedStatus(status);
        // 429 in the later shape, the rest in the documented one, so clients meet both shapes on throttling paths.
        Respond answer = status == HttpStatusCodes.TOO_MANY_REQUESTS
                ? Respond.json(status, bodies.errors(code, NOT_REGISTERED, status, "Too Many Requests"))
                : Respond.json(status, bodies.results(code, NOT_REGISTERED));
        boolean mayCarryRetryAfter = status == HttpStatusCodes.TOO_MANY_REQUESTS || status == HttpStatusCodes.SERVICE_UNAVAILABLE;
        return mayCarryRetryAfter ? answer.withRetryAfter(fault.retryAfterSeconds()) : answer;
    }

    private SandboxAnswer success(boolean single, List<SandboxDevice> registered, SandboxFault fault) {
        if (fault instanceof SandboxFault.DropAfterRegister) {
            return new Drop();
        }
        if (fault instanceof SandboxFault.MalformedAnswer) {
            return Respond.json(HttpStatusCodes.OK, "<html><body>502 Bad Gateway</body></html>");
        }
        if (fault instanceof SandboxFault.ShortAnswer) {
            return Respond.json(HttpStatusCodes.OK, bodies.credentials(registered.subList(0, registered.size() - 1)));
        }
        if (fault instanceof SandboxFault.EntryWithoutDeviceId without) {
            return Respond.json(HttpStatusCodes.OK, bodies.credentials(registered, without.position()));
        }
        if (fault instanceof SandboxFault.RepeatedCredential repeated) {
            List<SandboxDevice> answered = new ArrayList<>(registered);
            answered.set(repeated.position(), registered.get(repeated.position() - 1));
            return Respond.json(HttpStatusCodes.OK, bodies.credentials(answered));
        }
        if (fault instanceof SandboxFault.OversizedAnswer oversized) {
            return Respond.json(HttpStatusCodes.OK, bodies.credentials(registered, -1, oversized.paddingBytes()));
        }
        if (fault instanceof SandboxFault.RepeatedKey repeated) {
            List<SandboxDevice> answered = new ArrayList<>(registered);
            SandboxDevice own = registered.get(repeated.position());
            answered.set(repeated.position(), own.withDeviceKey(registered.get(repeated.position() - 1).deviceKey()));
            return Respond.json(HttpStatusCodes.OK, bodies.credentials(answered));
        }
        if (fault instanceof SandboxFault.EndlessAnswer) {
            String whole = bodies.credentials(registered);
            String start = whole.substring(0, whole.lastIndexOf('}')) + ",\"padding\":\"";
            return new SandboxAnswer.Endless(HttpStatusCodes.OK, start.getBytes(StandardCharsets.UTF_8));
        }
        if (fault instanceof SandboxFault.CutAnswer cut) {
            return new CutShort(cut.status(), bodies.credentials(registered).getBytes(StandardCharsets.UTF_8));
        }
        if (fault instanceof SandboxFault.Created) {
            return Respond.json(HttpStatusCodes.CREATED, single ? bodies.single(registered.get(0))
                    : bodies.credentials(registered));
        }
        Respond answer = single
                ? Respond.json(HttpStatusCodes.OK, bodies.single(registered.get(0)))
                : Respond.json(HttpStatusCodes.OK, bodies.credentials(registered));
        if (fault instanceof SandboxFault.Hang hang) {
            return answer.delayedBy(hang.delay());
        }
        return answer;
    }
}
