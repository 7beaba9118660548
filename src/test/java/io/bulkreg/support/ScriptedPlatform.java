package io.bulkreg.support;

import io.bulkreg.mcs.Credential;
import io.bulkreg.mcs.DeviceRequest;
import io.bulkreg.mcs.McsClient;
import io.bulkreg.mcs.PlatformDevice;
import io.bulkreg.mcs.RegistrationOutcome;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * A platform whose answer to each request the test writes, in this JVM, for specifications of the dispatcher that
 * run in milliseconds; it counts the requests. The sandbox over HTTP stands in for the platform everywhere else.
 */
public final class ScriptedPlatform implements McsClient {

    /** The answer to each request; registers every device it is sent until a test says otherwise. */
    public Function<List<DeviceRequest>, RegistrationOutcome> answer = registersAll();
    /** Every request, as sent. */
    public final List<List<DeviceRequest>> requests = Collections.synchronizedList(new ArrayList<>());
    /** Runs when a request has arrived, before it is answered. */
    public Runnable beforeAnswer = () -> { };

    /** Registers every device it is sent: deviceId "id-NAME", key "key-NAME". */
    public static Function<List<DeviceRequest>, RegistrationOutcome> registersAll() {
        return devices -> new RegistrationOutcome.Registered(devices.stream()
                .map(d -> new Credential("id-" + d.name(), "key-" + d.name(), null)).toList());
    }

    @Override
    public RegistrationOutcome register(List<DeviceRequest> devices) {
        requests.add(devices);
        beforeAnswer.run();
        return answer.apply(devices);
    }

    @Override
    public URI endpoint() {
        return URI.create("http://scripted.invalid/mcs/v2/devices");
    }

    @Override
    public String platform() {
        return "scripted";
    }

    @Override
    public List<PlatformDevice> readDevices(List<String> deviceIds) {
        throw new UnsupportedOperationException("the dispatcher never reads devices");
    }
}
