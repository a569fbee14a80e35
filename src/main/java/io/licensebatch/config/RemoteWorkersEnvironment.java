package io.licensebatch.config;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * RabbitMQ and Spring Integration serve remote workers only, so {@code application.properties} leaves their
 * auto-configuration out of every command. When {@code license-batch.workers=remote}, from whatever source
 * ({@code --workers remote}, the {@code worker} command, {@code LICENSE_BATCH_WORKERS}, a system property),
 * this puts them back, once the environment has read every source, and has the context built from the
 * configuration classes rather than the one generated at build time for local runs ({@link AheadOfTime}).
 */
public class RemoteWorkersEnvironment implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if ("remote".equalsIgnoreCase(environment.getProperty("license-batch.workers", "").strip())) {
            environment.getPropertySources().addFirst(new MapPropertySource("license-batch remote workers",
                    Map.of("spring.autoconfigure.exclude", "")));
            AheadOfTime.turnOff();
        }
    }

    /** After the application's own properties are read. */
    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }
}
