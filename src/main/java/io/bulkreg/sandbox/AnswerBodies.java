package io.bulkreg.sandbox;

import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The JSON the sandbox answers, in the platform's shapes. */
final class AnswerBodies {

    static final String DEVICE_KEY = "deviceKey";
    /** The spelling of registerDevice.md's example; answered at every other position to test clients. */
    static final String DEVICE_KEY_TYPO = "deivceKey";

    private final String errorPageBase;

    /** @param baseUrl the sandbox's own address, so error urls point somewhere plausible */
    AnswerBodies(String baseUrl) {
        this.errorPageBase = baseUrl + "/api_errorcode?code=";
    }

    /** One credential per device in order; positions 0, 2, 4... spell the key {@value #DEVICE_KEY_TYPO}. */
    String credentials(List<SandboxDevice> devices) {
        return credentials(devices, -1);
    }

    /** As {@link #credentials(List)}, the entry at {@code withoutId} (if any) without its deviceId. */
    String credentials(List<SandboxDevice> devices, int withoutId) {
        return credentials(devices, withoutId, 0);
    }

    /** As {@link #credentials(List, int)}, followed by a field of {@code paddingBytes} characters (if any). */
    String credentials(List<SandboxDevice> devices, int withoutId, int paddingBytes) {
        ObjectNode root = SandboxJson.MAPPER.createObjectNode();
        ArrayNode credentials = root.putArray("credentials");
        for (int i = 0; i < devices.size(); i++) {
            SandboxDevice device = devices.get(i);
            ObjectNode entry = credentials.addObject();
            if (i != withoutId) {
                entry.put("deviceId", device.deviceId());
            }
            entry.put(i % 2 == 0 ? DEVICE_KEY_TYPO : DEVICE_KEY, device.deviceKey());
        }
        if (paddingBytes > 0) {
            root.put("padding", "x".repeat(paddingBytes));
        }
        return json(root);
    }

    /** The single-device revision's answer. */
    String single(SandboxDevice device) {
        return json(SandboxJson.MAPPER.createObjectNode()
                .put("deviceId", device.deviceId())
                .put(DEVICE_KEY, device.deviceKey())
                .put("chipName", device.chipName()));
    }

    /** registerDevice.md's shape: {@code {"results":{"code","url","description"}}}. */
    String results(int code, String description) {
        ObjectNode root = SandboxJson.MAPPER.createObjectNode();
        root.putObject("results")
                .put("code", code)
                .put("url", errorPageBase + code)
                .put("description", description);
        return json(root);
    }

    /** The later shape: {@code {"errors":[{"code","message"}],"statusCode","message"}}. */
    String errors(int code, String message, int status, String statusMessage) {
        ObjectNode root = SandboxJson.MAPPER.createObjectNode();
        root.putArray("errors").addObject().put("code", code).put("message", message);
        root.put("statusCode", status);
        root.put("message", statusMessage);
        return json(root);
    }

    /** GET /mcs/v2/devices/{ids}: what is known of the devices, never their keys. */
    String devices(List<SandboxDevice> devices) {
        ObjectNode root = SandboxJson.MAPPER.createObjectNode();
        ArrayNode array = root.putArray("devices");
        for (SandboxDevice device : devices) {
            ObjectNode node = array.addObject()
                    .put("deviceId", device.deviceId())
                    .put("prodId", device.prodId())
                    .put("name", device.name())
                    .put("isTest", device.isTest());
            if (device.description() != null) {
                node.put("description", device.description());
            }
            if (device.serial() != null) {
                node.put("serial", device.serial());
            }
            node.put("chipName", device.chipName());
        }
        return json(root);
    }

    private static String json(ObjectNode node) {
        return SandboxJson.MAPPER.writeValueAsString(node);
    }
}
