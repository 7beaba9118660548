package io.bulkreg.mcs;

import java.net.URI;
import java.util.List;

/** The registerDevice call: one attempt, no retries of its own (the job's fault policy owns retries). */
public interface McsClient {

    RegistrationOutcome register(List<DeviceRequest> devices);

    /** The URL each request goes to. */
    URI endpoint();

    /** The platform's name on record ({@code registration_request.platform}), the same for every process. */
    String platform();
}
