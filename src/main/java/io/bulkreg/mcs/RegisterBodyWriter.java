package io.bulkreg.mcs;

import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Writes the registerDevice body as UTF-8 JSON; null description/serial are left out, not sent as null. */
final class RegisterBodyWriter {

    byte[] bulk(List<DeviceRequest> devices) {
        ObjectNode root = McsJson.MAPPER.createObjectNode();
        ArrayNode array = root.putArray("devices");
        devices.forEach(device -> fill(array.addObject(), device));
        return McsJson.MAPPER.writeValueAsBytes(root);
    }

    /** The later revision: the body is the one device itself. */
    byte[] single(DeviceRequest device) {
        ObjectNode root = McsJson.MAPPER.createObjectNode();
        fill(root, device);
        return McsJson.MAPPER.writeValueAsBytes(root);
    }

    private static void fill(ObjectNode node, DeviceRequest device) {
        node.put("prodId", device.prodId());
        node.put("name", device.name());
        node.put("isTest", device.isTest());
        if (device.description() != null) {
            node.put("description", device.description());
        }
        if (device.serial() != null) {
            node.put("serial", device.serial());
        }
    }
}
