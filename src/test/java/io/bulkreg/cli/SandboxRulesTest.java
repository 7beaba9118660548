package io.bulkreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.sandbox.SandboxSettings;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;
import picocli.CommandLine;

/** The standalone `sandbox` and the built-in one (the demo, --sandbox) follow one set of product rules. */
class SandboxRulesTest {

    @Test
    void givenTheStandaloneSandboxWithoutOptions_whenItsRulesAreRead_thenTheyAreTheBuiltInSandboxesOfApplicationYml() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yml"));
        Set<String> builtIn = Arrays.stream(yaml.getObject().getProperty("bulkreg.sandbox.products-requiring-serial")
                .split(",")).map(String::trim).collect(Collectors.toSet());
        SandboxCommand standalone = new SandboxCommand();
        new CommandLine(standalone).parseArgs();

        SandboxSettings served = standalone.settings("t");

        assertThat(served.productsRequiringSerial()).isEqualTo(builtIn).contains("mtk-gw-100");
    }
}
