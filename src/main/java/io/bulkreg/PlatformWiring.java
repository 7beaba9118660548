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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
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

    @Bean(destroyMethod = "close")
    @Lazy
    McsSandbox embeddedSandbox(SandboxProperties sandbox) {
        return McsSandbox.start(sandbox.toSettings().withPort(0));
    }

    @Bean(destroyMethod = "close")
    @Lazy
    HttpMcsClient mcsClient(PlatformChoice choice, McsProperties mcs, ConcurrencyProperties concurrency,
            SandboxProperties sandboxProperties, ObjectProvider<McsSandbox> sandbox) {
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
}
