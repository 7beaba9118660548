package io.bulkreg.cli;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Finds a secret given where anyone on the host can read it: arguments and {@code -D} system properties show in
 * {@code ps} and shell history, and SPRING_APPLICATION_JSON in the process's environment listing. Judged by where
 * the bound value came from, so every spelling Spring accepts ({@code --bulkreg.mcs.TOKEN=}, {@code -Dbulkreg...},
 * JSON) is caught. Secrets come from the environment (BULKREG_MCS_TOKEN, SPRING_DATASOURCE_PASSWORD) or a file only.
 */
final class SecretsOnTheCommandLine {

    static final List<String> SECRETS = List.of("bulkreg.mcs.token", "bulkreg.crypto.key", "spring.datasource.password",
            "spring.datasource.hikari.password", "spring.flyway.password");
    /** Settings whose value may carry a password inside it (a JDBC URL's {@code password=} parameter). */
    private static final List<String> MAY_CARRY_A_PASSWORD = List.of("spring.datasource.url", "spring.flyway.url");

    private static final Set<String> VISIBLE_SOURCES = Set.of(CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME,
            StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, "spring.application.json");

    private SecretsOnTheCommandLine() {
    }

    /** The first secret given on the command line, in a system property or in SPRING_APPLICATION_JSON, if any. */
    static Optional<String> find(ConfigurableEnvironment environment) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source.getUnderlyingSource() instanceof PropertySource<?> underlying)
                    || !VISIBLE_SOURCES.contains(underlying.getName())) {
                continue;
            }
            for (String secret : SECRETS) {
                if (source.getConfigurationProperty(ConfigurationPropertyName.of(secret)) != null) {
                    return Optional.of(secret + " (" + underlying.getName() + ")");
                }
            }
            for (String url : MAY_CARRY_A_PASSWORD) {
                var value = source.getConfigurationProperty(ConfigurationPropertyName.of(url));
                if (value != null && String.valueOf(value.getValue()).toLowerCase(Locale.ROOT).contains("password=")) {
                    return Optional.of(url + " with a password in it (" + underlying.getName() + ")");
                }
            }
        }
        return Optional.empty();
    }
}
