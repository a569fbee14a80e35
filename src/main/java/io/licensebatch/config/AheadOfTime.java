package io.licensebatch.config;

import io.licensebatch.LicenseBatchApplication;
import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.core.SpringProperties;

import java.io.File;

/**
 * Spring's ahead-of-time processing on the JVM: the build ({@code ./mvnw package}, the pom's {@code process-aot})
 * starts the application context once, as far as its bean definitions, and writes them down as Java code, which
 * the jar then runs instead of scanning, parsing and evaluating its configuration classes and conditions at every
 * start. Measured on 2 cores: {@code status} 1.25 s instead of 1.73 s, with 0.7 s less CPU (README, start-up).
 *
 * <p>The generated context is the one of a local run: beans that only {@code license-batch.workers=remote} makes
 * (RabbitMQ, Spring Integration, the remote partition handler and worker) are not in it, so
 * {@link RemoteWorkersEnvironment} turns it off for remote workers and the context is built the usual way. It is
 * used only from the built jar ({@code java -jar target/license-batch.jar}), where the generated code was made
 * from the same classes; a class path of directories (tests, an IDE) may hold generated code older than the
 * classes, and never uses it. {@code -Dspring.aot.enabled=false} (or {@code =true}) is the operator's to set.
 */
public final class AheadOfTime {

    /** Spring's switch ({@link AotDetector}), read when the context is created. */
    static final String ENABLED = AotDetector.AOT_ENABLED;

    /** The generated initializer is named after the class the build processed: this one. */
    static final String INITIALIZER = AheadOfTime.class.getName() + "__ApplicationContextInitializer";

    private AheadOfTime() {
    }

    /**
     * The build's entry point (pom: {@code process-aot}): the Spring application alone, without the command line,
     * whose context the processing records and abandons before anything connects to a database.
     */
    public static void main(String[] args) {
        SpringApplication.run(LicenseBatchApplication.class, args);
    }

    /** Makes the application use the generated context where the built jar has it and nobody said otherwise. */
    public static void prepare(SpringApplication application) {
        // Spring finds the generated initializer by the main class's name: the build's entry point, not the CLI's.
        application.setMainApplicationClass(AheadOfTime.class);
        if (SpringProperties.getProperty(ENABLED) == null && runsFromBuiltJar()) {
            SpringProperties.setFlag(ENABLED);
        }
    }

    /** For contexts the generated one cannot be: they are built from the configuration classes. */
    static void turnOff() {
        SpringProperties.setProperty(ENABLED, "false");
    }

    private static boolean runsFromBuiltJar() {
        String classPath = System.getProperty("java.class.path", "");
        return classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator)
                && AheadOfTime.class.getClassLoader().getResource(INITIALIZER.replace('.', '/') + ".class") != null;
    }
}
