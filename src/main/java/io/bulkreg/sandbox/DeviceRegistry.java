package io.bulkreg.sandbox;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Every device the sandbox registered, in registration order. One lock: the serial-uniqueness check and the
 * registration of a whole request must be atomic, or two concurrent requests could both take a serial.
 */
final class DeviceRegistry {

    static final String CHIP_NAME = "MT7697";

    private final Clock clock;
    private final CredentialGenerator generator = new CredentialGenerator();
    private final List<SandboxDevice> devices = new ArrayList<>();
    private final Map<String, SandboxDevice> byId = new HashMap<>();
    private final Set<ProductSerial> serials = new HashSet<>();
    private final Set<String> keys = new HashSet<>();

    DeviceRegistry(Clock clock) {
        this.clock = clock;
    }

    /** Registers all devices or none: a serial already taken refuses the whole request. */
    synchronized List<SandboxDevice> register(int requestNo, List<NewDevice> request) throws SandboxRejection {
        return register(requestNo, request, CredentialGenerator.DEVICE_KEY_LENGTH);
    }

    /** As {@link #register(int, List)}, issuing keys of {@code keyLength} characters. */
    synchronized List<SandboxDevice> register(int requestNo, List<NewDevice> request, int keyLength) throws SandboxRejection {
        for (NewDevice device : request) {
            if (device.serial() != null && serials.contains(new ProductSerial(device.prodId(), device.serial()))) {
                throw new SandboxRejection(SandboxErrorCode.SERIAL_ALREADY_REGISTERED);
            }
        }
        List<SandboxDevice> registered = new ArrayList<>(request.size());
        for (NewDevice device : request) {
            SandboxDevice stored = new SandboxDevice(requestNo, device.prodId(), device.name(), device.isTest(),
                    device.description(), device.serial(), uniqueId(), uniqueKey(keyLength), CHIP_NAME, clock.instant());
            devices.add(stored);
            byId.put(stored.deviceId(), stored);
            if (device.serial() != null) {
                serials.add(new ProductSerial(device.prodId(), device.serial()));
            }
            registered.add(stored);
        }
        return registered;
    }

    synchronized List<SandboxDevice> all() {
        return List.copyOf(devices);
    }

    /** The known devices among {@code ids}, in the order asked, each once. */
    synchronized List<SandboxDevice> find(List<String> ids) {
        Map<String, SandboxDevice> found = new LinkedHashMap<>();
        for (String id : ids) {
            SandboxDevice device = byId.get(id);
            if (device != null) {
                found.putIfAbsent(id, device);
            }
        }
        return List.copyOf(found.values());
    }

    synchronized int registrationsOf(String prodId, String serial) {
        int count = 0;
        for (SandboxDevice device : devices) {
            if (Objects.equals(device.prodId(), prodId) && Objects.equals(device.serial(), serial)) {
                count++;
            }
        }
        return count;
    }

    private String uniqueId() {
        String id;
        do {
            id = generator.deviceId();
        } while (byId.containsKey(id));
        return id;
    }

    private String uniqueKey(int length) {
        String key;
        do {
            key = generator.deviceKey(length);
        } while (!keys.add(key));
        return key;
    }
}
