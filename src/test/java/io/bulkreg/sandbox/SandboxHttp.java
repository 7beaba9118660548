package io.bulkreg.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A raw HTTP client for sandbox tests (the JDK's, so these tests do not depend on the production client). */
final class SandboxHttp {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private SandboxHttp() {
    }

    static HttpResponse<String> post(McsSandbox sandbox, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/mcs/v2/devices"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    static HttpResponse<String> post(McsSandbox sandbox, String body) {
        return post(sandbox, SandboxSettings.DEFAULT_TOKEN, body);
    }

    static HttpResponse<String> get(McsSandbox sandbox, String ids) {
        return send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/mcs/v2/devices/" + ids))
                .header("Authorization", "Bearer " + SandboxSettings.DEFAULT_TOKEN).GET().build());
    }

    static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
