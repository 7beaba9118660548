package io.bulkreg;

import java.util.Set;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.micrometer.metrics.export.prometheus.PrometheusPushGatewayManager;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Only a command that runs the job pushes its meters to the Pushgateway at its end. Spring pushes whatever the context
 * holds when it closes, to the job's group: `status`, `report`, `export` or `rehearse`, started from a shell where the
 * Pushgateway is configured, replaced the last run's figures with empty ones (and a rehearsal, which sends nothing,
 * sent that). For any other command the push is taken out of the context before it is made, whatever the settings.
 */
@Component
class PushOnlyForRuns implements BeanFactoryPostProcessor, EnvironmentAware {

    /** The commands that run the job; none at all means `register`. */
    static final Set<String> RUNS = Set.of("register", "restart");

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        String command = CommandWord.of(environment);
        if (command == null || RUNS.contains(command) || !(beanFactory instanceof BeanDefinitionRegistry registry)) {
            return;
        }
        for (String name : beanFactory.getBeanNamesForType(PrometheusPushGatewayManager.class, true, false)) {
            registry.removeBeanDefinition(name);
        }
    }
}
