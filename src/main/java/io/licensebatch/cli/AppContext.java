package io.licensebatch.cli;

import io.licensebatch.LicenseBatchApplication;
import io.licensebatch.config.AheadOfTime;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;

/** The Spring application, started on the chosen database for the length of one command. */
final class AppContext implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private AppContext(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static AppContext start(DatabaseOptions database, List<String> settings) {
        List<String> arguments = new ArrayList<>(database.springArguments(System.getenv()));
        arguments.addAll(settings);
        SpringApplication application = new SpringApplication(LicenseBatchApplication.class);
        AheadOfTime.prepare(application);
        return new AppContext(application.run(arguments.toArray(new String[0])));
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    <T> T bean(String name, Class<T> type) {
        return context.getBean(name, type);
    }

    @Override
    public void close() {
        context.close();
    }
}
