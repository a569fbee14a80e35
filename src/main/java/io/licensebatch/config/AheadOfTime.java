package io.licensebatch.config;

import io.licensebatch.LicenseBatchApplication;
import org.springframework.aot.AotDetector;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.Ordered;
import org.springframework.core.SpringProperties;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.io.File;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Spring's ahead-of-time processing on the JVM: the build ({@code ./mvnw package}, the pom's {@code process-aot})
 * starts the application context once, as far as its bean definitions, and writes them down as Java code, which
 * the jar then runs instead of scanning, parsing and evaluating its configuration classes and conditions at every
 * start. Measured on 2 cores: {@code status} 1.25 s instead of 1.73 s, with 0.7 s less CPU (README, start-up).
 *
 * <p>The generated context is the one of a local run with the packaged settings, made in an environment of its
 * own (the build machine's variables, system properties and files do not shape what ships). A run whose settings
 * the generated context cannot honour builds its context the usual way, from the configuration classes: remote
 * workers (their broker's beans are not in it), an active profile, or one of {@link #DECIDED_AT_BUILD} set
 * anywhere but in the packaged {@code application.properties}. It is used only from the built jar
 * ({@code java -jar target/license-batch.jar}), where the generated code was made from the same classes; a class
 * path of directories (tests, an IDE) may hold generated code older than the classes, and never uses it.
 * {@code -Dspring.aot.enabled=false} (or {@code =true}) is the operator's to set.
 */
public final class AheadOfTime implements EnvironmentPostProcessor, Ordered {

    /** Spring's switch ({@link AotDetector}), read when the context is created. */
    static final String ENABLED = AotDetector.AOT_ENABLED;

    /** The generated initializer is named after the class the build processed: this one. */
    static final String INITIALIZER = AheadOfTime.class.getName() + "__ApplicationContextInitializer";

    /** Settings that conditions or bean definitions read when a context is built: fixed in the generated one. */
    static final List<String> DECIDED_AT_BUILD = List.of("spring.autoconfigure.exclude", "spring.datasource.type",
            "debug", "trace");

    /**
     * The build's entry point (pom: {@code process-aot}): the Spring application alone, without the command line,
     * whose context the processing records and abandons before anything connects to a database. Its environment
     * has no variables or system properties and reads the packaged settings only.
     */
    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(LicenseBatchApplication.class);
        application.setEnvironment(new StandardEnvironment() {
            @Override
            protected void customizePropertySources(MutablePropertySources propertySources) {
                // none: not the build machine's environment variables, nor its system properties
            }
        });
        application.run(Stream.concat(Stream.of(args),
                Stream.of("--spring.config.location=classpath:/application.properties")).toArray(String[]::new));
    }

    /** Makes the application use the generated context where the built jar has it and nobody said otherwise. */
    public static void prepare(SpringApplication application) {
        // Spring finds the generated initializer by the main class's name: the build's entry point, not the CLI's.
        application.setMainApplicationClass(AheadOfTime.class);
        if (SpringProperties.getProperty(ENABLED) == null && runsFromBuiltJar()) {
            SpringProperties.setFlag(ENABLED);
        }
    }

    /** Once every source of settings is read: a run the generated context does not fit builds its own. */
    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (AotDetector.useGeneratedArtifacts() && unfit(environment).isPresent()) {
            SpringProperties.setProperty(ENABLED, "false");
        }
    }

    /** After the application's own settings, and after {@link RemoteWorkersEnvironment} said which workers. */
    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 2;
    }

    /** Why the generated context does not fit these settings, if it does not. */
    static Optional<String> unfit(ConfigurableEnvironment environment) {
        if (RemoteWorkersEnvironment.remote(environment)) {
            return Optional.of("remote workers");
        }
        if (environment.getActiveProfiles().length > 0) {
            return Optional.of("profiles " + String.join(", ", environment.getActiveProfiles()));
        }
        return DECIDED_AT_BUILD.stream().filter(name -> setBeyondThePackagedSettings(environment, name)).findFirst();
    }

    private static boolean setBeyondThePackagedSettings(ConfigurableEnvironment environment, String name) {
        for (PropertySource<?> source : environment.getPropertySources()) {
            boolean packaged = source.getName().contains("class path resource [application.properties]");
            if (!packaged && !ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)
                    && source.containsProperty(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean runsFromBuiltJar() {
        String classPath = System.getProperty("java.class.path", "");
        return classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator)
                && AheadOfTime.class.getClassLoader().getResource(INITIALIZER.replace('.', '/') + ".class") != null;
    }
}
