package io.licensebatch.jvm;

import io.licensebatch.LicenseBatchApplication;
import org.postgresql.Driver;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The run that the build records the class-data sharing archive from ({@code -XX:ArchiveClassesAtExit}, see
 * the pom): the JVM archives the classes a run loaded, so this one loads what real runs need. It runs the demo
 * on an in-memory H2 database (the application, Spring, Spring Batch, H2), and before that loads every class
 * of the PostgreSQL driver, which the demo never touches and the build cannot connect with: a run on PostgreSQL
 * otherwise loads and verifies some 170 driver classes from the jar at each start (0.25 s of {@code status}).
 * Classes that need a library the driver only uses optionally (OSGi, GSS) cannot be loaded and are left out.
 */
public final class ClassDataSharingTraining {

    private ClassDataSharingTraining() {
    }

    public static void main(String[] args) throws IOException, URISyntaxException {
        int loaded = 0;
        int left = 0;
        Path driverJar = Path.of(Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (JarFile jar = new JarFile(driverJar.toFile())) {
            for (JarEntry entry : java.util.Collections.list(jar.entries())) {
                String name = entry.getName();
                if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")) {
                    continue;
                }
                try {
                    Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false,
                            ClassDataSharingTraining.class.getClassLoader());
                    loaded++;
                } catch (ClassNotFoundException | LinkageError e) {
                    left++; // needs an optional library that is not on the class path
                }
            }
        }
        System.out.printf("class-data sharing: %d PostgreSQL driver classes loaded, %d left out (optional"
                + " libraries)%n", loaded, left);
        LicenseBatchApplication.main(args);
    }
}
