package io.licensebatch.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code license-batch.workers} is read once, as the settings read it, and published in the one spelling the
 * remote beans' conditions look for: a value the settings take for remote is remote for every reader (a trailing
 * blank or quotes from an env file used to make the settings say remote and the conditions local, and every
 * command failed on a missing bean); one they do not take fails the start, naming the setting.
 */
class RemoteWorkersEnvironmentTest {

    @ParameterizedTest
    @ValueSource(strings = {"remote", "REMOTE", "remote ", " Remote", "\"remote\""})
    void everySpellingTheSettingsTakeForRemoteIsRemoteEverywhere(String value) {
        StandardEnvironment environment = environment(value);

        new RemoteWorkersEnvironment().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("license-batch.workers")).isEqualTo("remote");
        assertThat(RemoteWorkersEnvironment.remote(environment)).isTrue();
        assertThat(environment.getProperty("spring.autoconfigure.exclude")).as("the broker's auto-configuration")
                .isEmpty();
        assertThat(AheadOfTime.unfit(environment)).contains("remote workers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "LOCAL", " local "})
    void localIsLocal(String value) {
        StandardEnvironment environment = environment(value);

        new RemoteWorkersEnvironment().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("license-batch.workers")).isEqualTo("local");
        assertThat(environment.getProperty("spring.autoconfigure.exclude")).isEqualTo("packaged exclusions");
        assertThat(AheadOfTime.unfit(environment)).isEmpty();
    }

    @Test
    void aValueThatIsNeitherIsLeftForTheSettingsToRefuseNamingTheSetting() {
        StandardEnvironment environment = environment("remotely");

        new RemoteWorkersEnvironment().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("license-batch.workers")).isEqualTo("remotely");
        assertThat(environment.getProperty("spring.autoconfigure.exclude")).isEqualTo("packaged exclusions");
        assertThatThrownBy(() -> Binder.get(environment).bind("license-batch", LicenseBatchProperties.class))
                .isInstanceOf(BindException.class).hasMessageContaining("license-batch.workers");
    }

    @Test
    void settingsDecidedAtBuildTimeOrAProfileMakeTheContextFromTheConfigurationClasses() {
        StandardEnvironment profile = environment("local");
        profile.setActiveProfiles("night");
        assertThat(AheadOfTime.unfit(profile)).contains("profiles night");
        StandardEnvironment excluded = environment("local");
        excluded.getPropertySources().addFirst(new MapPropertySource("operator",
                Map.of("spring.autoconfigure.exclude", "SomeAutoConfiguration")));
        assertThat(AheadOfTime.unfit(excluded)).contains("spring.autoconfigure.exclude");
        StandardEnvironment debug = environment("local");
        debug.getPropertySources().addFirst(new MapPropertySource("operator", Map.of("debug", "true")));
        assertThat(AheadOfTime.unfit(debug)).contains("debug");
    }

    /** The packaged settings (their source named as Spring Boot names it) and the operator's value. */
    private static StandardEnvironment environment(String workers) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addLast(new MapPropertySource(
                "Config resource 'class path resource [application.properties]' via location 'optional:classpath:/'",
                Map.of("spring.autoconfigure.exclude", "packaged exclusions")));
        environment.getPropertySources().addFirst(new MapPropertySource("operator",
                Map.of("license-batch.workers", workers)));
        return environment;
    }
}
