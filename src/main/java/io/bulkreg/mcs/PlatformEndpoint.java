package io.bulkreg.mcs;

import java.net.URI;
import java.util.Locale;

/**
 * The registerDevice URL from a base URL as operators write it. The API documentation prints the full request URL
 * ({@code https://host/mcs/v2/devices}), so the host root, {@code .../mcs/v2} and that full URL, with or without a
 * trailing slash, all mean the same endpoint. A path in front of {@code /mcs/v2} (a gateway prefix) is kept.
 */
public final class PlatformEndpoint {

    static final String DEVICES_PATH = "/mcs/v2/devices";
    private static final String API_PATH = "/mcs/v2";
    /** registration_request.platform holds 1,000 characters; no real address comes near. */
    private static final int MAX_LENGTH = 900;

    private PlatformEndpoint() {
    }

    /** The URL every registerDevice request goes to. */
    public static URI devicesEndpoint(URI baseUrl) {
        return URI.create(root(baseUrl) + DEVICES_PATH);
    }

    /** What a base URL must not carry: null when it is usable, otherwise what is wrong with it. */
    public static String problem(URI baseUrl) {
        if (baseUrl.getScheme() == null || baseUrl.getHost() == null) {
            return "needs a scheme and a host, e.g. https://mcs.example.com";
        }
        if (baseUrl.getRawUserInfo() != null) {
            return "must not carry a user or password: the token goes in BULKREG_MCS_TOKEN or BULKREG_MCS_TOKEN_FILE";
        }
        if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
            return "must not carry a query or a fragment";
        }
        if (baseUrl.toString().length() > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters";
        }
        return null;
    }

    /** Scheme, authority and any prefix path, without trailing slashes or the API's own path. */
    private static String root(URI baseUrl) {
        String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath().replaceAll("/{2,}", "/");
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.endsWith(DEVICES_PATH)) {
            path = path.substring(0, path.length() - DEVICES_PATH.length());
        } else if (lower.endsWith(API_PATH)) {
            path = path.substring(0, path.length() - API_PATH.length());
        }
        String scheme = baseUrl.getScheme().toLowerCase(Locale.ROOT);
        int port = baseUrl.getPort();
        boolean defaultPort = port == -1 || (port == 443 && scheme.equals("https")) || (port == 80 && scheme.equals("http"));
        // Host names are case-insensitive and a default port is no port: one platform, one spelling on record.
        String host = baseUrl.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port) + path;
    }
}
