package io.licensebatch.config;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.HashMap;
import java.util.Map;

/**
 * RabbitMQ and Spring Integration serve remote workers only, so {@code application.properties} leaves their
 * auto-configuration out of every command. When {@code license-batch.workers} says remote, from whatever source
 * ({@code --workers remote}, the {@code worker} command, {@code LICENSE_BATCH_WORKERS}, a system property, a
 * config file), this puts them back, once the environment has read every source. The value is read once, as the
 * settings read it ({@link LicenseBatchProperties.Workers}: any case, blanks and quotes ignored), and published
 * as {@code local} or {@code remote}, the spelling the remote beans' conditions look for. A value that is neither
 * is left as it is, for the settings' own binding to refuse (naming the setting, where it came from and what it
 * may be: exit 2): that happens once logging is set up, so the refusal is the command's one line.
 */
public class RemoteWorkersEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String WORKERS = "license-batch.workers";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        LicenseBatchProperties.Workers workers;
        try {
            workers = Binder.get(environment).bind(WORKERS, LicenseBatchProperties.Workers.class)
                    .orElse(LicenseBatchProperties.Workers.LOCAL);
        } catch (BindException notAValue) {
            return; // refused by the settings' binding, below: see the class comment
        }
        Map<String, Object> settled = new HashMap<>();
        settled.put(WORKERS, workers.name().toLowerCase(java.util.Locale.ROOT));
        if (workers == LicenseBatchProperties.Workers.REMOTE) {
            settled.put("spring.autoconfigure.exclude", "");
        }
        environment.getPropertySources().addFirst(new MapPropertySource("license-batch workers", settled));
    }

    /** Whether the settings ask for remote workers (once this post-processor has run). */
    static boolean remote(ConfigurableEnvironment environment) {
        return "remote".equals(environment.getProperty(WORKERS));
    }

    /** After the application's own properties are read. */
    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }
}
