package io.bulkreg;

import io.bulkreg.cli.PlatformChoice;
import io.bulkreg.mcs.HttpMcsClient;
import io.bulkreg.mcs.McsClientSettings;
import io.bulkreg.mcs.McsProperties;
import io.bulkreg.mcs.Platform;
import io.bulkreg.registration.ConcurrencyProperties;
import io.bulkreg.sandbox.McsSandbox;
import io.bulkreg.sandbox.SandboxProperties;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * The platform client, pointed at the platform the command chose ({@link PlatformChoice}): the configured address,
 * or the built-in sandbox started in this process. The choice is the application's, not the client's: {@code mcs}
 * knows nothing of the sandbox. Lazy: commands that never talk to the platform start neither.
 */
@Configuration
class PlatformWiring {

    private static final Logger log = LoggerFactory.getLogger(PlatformWiring.class);
    private static final List<String> WIRE_LOGGERS = List.of("org.apache.hc.client5.http.headers",
            "org.apache.hc.client5.http.wire");

    @Bean(destroyMethod = "close")
    @Lazy
    McsSandbox embeddedSandbox(SandboxProperties sandbox) {
        return McsSandbox.start(sandbox.toSettings().withPort(0));
    }

    @Bean(destroyMethod = "close")
    @Lazy
    HttpMcsClient mcsClient(PlatformChoice choice, McsProperties mcs, ConcurrencyProperties concurrency,
            SandboxProperties sandboxProperties, ObjectProvider<McsSandbox> sandbox) {
        silenceWireLogging();
        Platform platform = choice.chosen();
        URI baseUrl = platform.isSandbox() ? URI.create(sandbox.getObject().baseUrl()) : platform.endpoint();
        if (!platform.isSandbox() && "http".equalsIgnoreCase(baseUrl.getScheme()) && !McsProperties.isLoopback(baseUrl.getHost())) {
            log.warn("Plain http to {} (bulkreg.mcs.allow-insecure-http=true): the token and the deviceKeys cross the "
                    + "network unencrypted", baseUrl.getHost());
        }
        String token = platform.isSandbox() ? sandboxProperties.token() : mcs.resolveToken();
        // One connection per request in flight: a request waiting for a pooled connection would wait in flight.
        return new HttpMcsClient(new McsClientSettings(baseUrl, token, mcs.connectTimeout(), mcs.readTimeout(),
                mcs.singleDevice(), concurrency.concurrency()), platform.recordedAs());
    }

    /**
     * HttpClient logs the Authorization header and every answer's body (the deviceKeys) at DEBUG on these two
     * loggers: they stay off whatever the logging configuration says, before the first request.
     */
    private static void silenceWireLogging() {
        LoggingSystem logging = LoggingSystem.get(PlatformWiring.class.getClassLoader());
        for (String logger : WIRE_LOGGERS) {
            logging.setLogLevel(logger, LogLevel.OFF);
        }
    }
}
