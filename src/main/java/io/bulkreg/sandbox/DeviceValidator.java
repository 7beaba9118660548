package io.bulkreg.sandbox;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The content rules that need no registry: fields, serial format, serial-required products, duplicates within the
 * request, the size cap and the rejection marker. The first broken rule refuses the whole request and, like the
 * platform, does not say which device broke it.
 */
final class DeviceValidator {

    static final String PROD_ID = "prodId";
    static final String NAME = "name";
    static final String IS_TEST = "isTest";
    static final String DESCRIPTION = "description";
    static final String SERIAL = "serial";
    static final String DEVICE_IMAGE_URL = "deviceImageURL";

    /** MCS serials: letters and digits, under 50 characters. */
    private static final Pattern SERIAL_PATTERN = Pattern.compile("[A-Za-z0-9]{1,49}");

    private final SandboxSettings settings;

    DeviceValidator(SandboxSettings settings) {
        this.settings = settings;
    }

    List<NewDevice> validate(ParsedBody body) throws SandboxRejection {
        if (body.deviceCount() == 0) {
            throw new SandboxRejection(SandboxErrorCode.NO_DEVICES);
        }
        if (body.deviceCount() > settings.maxDevicesPerRequest()) {
            throw new SandboxRejection(SandboxErrorCode.TOO_MANY_DEVICES);
        }
        List<NewDevice> devices = new ArrayList<>(body.deviceCount());
        for (JsonNode node : body.deviceNodes()) {
            devices.add(toDevice(node));
        }
        rejectDuplicateSerials(devices);
        rejectMarkedNames(devices);
        return devices;
    }

    private NewDevice toDevice(JsonNode node) throws SandboxRejection {
        if (!node.isObject()) {
            throw new SandboxRejection(SandboxErrorCode.MISSING_FIELD);
        }
        String prodId = requiredString(node, PROD_ID);
        String name = requiredString(node, NAME);
        JsonNode isTest = node.get(IS_TEST);
        if (isTest == null || isTest.isNull()) {
            throw new SandboxRejection(SandboxErrorCode.MISSING_FIELD);
        }
        if (!isTest.isBoolean()) {
            throw new SandboxRejection(SandboxErrorCode.IS_TEST_NOT_BOOLEAN);
        }
        String description = optionalString(node, DESCRIPTION);
        String serial = optionalString(node, SERIAL);
        optionalString(node, DEVICE_IMAGE_URL); // accepted and not kept: only its type is checked
        if (serial != null && !SERIAL_PATTERN.matcher(serial).matches()) {
            throw new SandboxRejection(SandboxErrorCode.INVALID_SERIAL);
        }
        boolean test = isTest.booleanValue();
        if (!test && serial == null && settings.productsRequiringSerial().contains(prodId)) {
            throw new SandboxRejection(SandboxErrorCode.SERIAL_REQUIRED);
        }
        return new NewDevice(prodId, name, test, description, serial);
    }

    private static String requiredString(JsonNode node, String field) throws SandboxRejection {
        JsonNode value = node.get(field);
        if (value == null || !value.isString() || value.stringValue().isEmpty()) {
            throw new SandboxRejection(SandboxErrorCode.MISSING_FIELD);
        }
        return value.stringValue();
    }

    private static String optionalString(JsonNode node, String field) throws SandboxRejection {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw new SandboxRejection(SandboxErrorCode.INVALID_OPTIONAL_FIELD);
        }
        return value.stringValue();
    }

    private static void rejectDuplicateSerials(List<NewDevice> devices) throws SandboxRejection {
        Set<ProductSerial> seen = new HashSet<>();
        for (NewDevice device : devices) {
            if (device.serial() != null && !seen.add(new ProductSerial(device.prodId(), device.serial()))) {
                throw new SandboxRejection(SandboxErrorCode.DUPLICATE_SERIAL_IN_REQUEST);
            }
        }
    }

    private void rejectMarkedNames(List<NewDevice> devices) throws SandboxRejection {
        String marker = settings.rejectNamesContaining();
        if (marker == null) {
            return;
        }
        for (NewDevice device : devices) {
            if (device.name().contains(marker)) {
                throw new SandboxRejection(SandboxErrorCode.DEVICE_REJECTED);
            }
        }
    }
}
