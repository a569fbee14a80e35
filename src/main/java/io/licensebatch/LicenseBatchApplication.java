package io.licensebatch;

import io.licensebatch.cli.Cli;
import io.licensebatch.jvm.HeapWatch;
import io.licensebatch.jvm.JitPolicy;
import io.licensebatch.jvm.Launcher;
import io.licensebatch.jvm.LauncherWatch;
import io.licensebatch.jvm.Signals;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * license-batch: bulk, restartable changes to learners' Learning licenses, as Spring Batch jobs.
 * The command line ({@link Cli}) parses the command first, then starts this Spring context on the chosen
 * database, so {@code --help} and usage errors never need a database.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class LicenseBatchApplication {

    public static void main(String[] args) {
        Launcher.removeArgumentFile();
        LauncherWatch.start();
        Signals.install();
        JitPolicy.apply();
        HeapWatch.start();
        int code = Cli.execute(args);
        Signals.ended(code);
        System.exit(code);
    }
}
