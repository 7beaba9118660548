package io.bulkreg.mcs;

import java.net.URI;
import java.util.List;

/**
 * The registerDevice call: one attempt, no retries of its own (the job's fault policy owns retries); and reading
 * devices by id, which {@code reconcile} uses to settle devices in doubt.
 */
public interface McsClient {

    RegistrationOutcome register(List<DeviceRequest> devices);

    /**
     * Reads the devices the platform holds with these ids ({@code GET /mcs/v2/devices/{id,id,...}}): those it knows,
     * each once, never their keys; an empty list when it knows none.
     *
     * @throws DeviceReadException when the token is refused, the platform cannot be reached or its answer read
     */
    List<PlatformDevice> readDevices(List<String> deviceIds);

    /** The URL each request goes to. */
    URI endpoint();

    /** The platform's name on record ({@code registration_request.platform}), the same for every process. */
    String platform();
}
