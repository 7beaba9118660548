package io.bulkreg.mcs;

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
 * The platform client, pointed at the configured platform or, when none is configured, at the built-in
 * sandbox started in this process. Lazy: commands that never talk to the platform never start either.
 */
@Configuration
public class McsClientConfig {

    private static final Logger log = LoggerFactory.getLogger(McsClientConfig.class);

    @Bean(destroyMethod = "close")
    @Lazy
    McsSandbox embeddedSandbox(SandboxProperties sandbox) {
        return McsSandbox.start(sandbox.toSettings().withPort(0));
    }

    @Bean(destroyMethod = "close")
    @Lazy
    HttpMcsClient mcsClient(McsProperties mcs, SandboxProperties sandboxProperties, ObjectProvider<McsSandbox> sandbox) {
        URI baseUrl = mcs.usesSandbox() ? URI.create(sandbox.getObject().baseUrl()) : mcs.baseUrl();
        if (!mcs.usesSandbox() && "http".equalsIgnoreCase(baseUrl.getScheme()) && !McsProperties.isLoopback(baseUrl.getHost())) {
            log.warn("Plain http to {} (bulkreg.mcs.allow-insecure-http=true): the token and the deviceKeys cross the "
                    + "network unencrypted", baseUrl.getHost());
        }
        String token = mcs.resolveToken(sandboxProperties.token());
        return new HttpMcsClient(new McsClientSettings(baseUrl, token, mcs.connectTimeout(), mcs.readTimeout(),
                mcs.singleDevice(), 4));
    }
}
