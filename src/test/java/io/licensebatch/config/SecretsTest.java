package io.licensebatch.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A setting's value is hidden by its name with the same words that mask a password in a URL or an option. */
class SecretsTest {

    @Test
    void theSameWordsMakeANameSecretAndMaskAValue() {
        assertThat(Secrets.isSecretName("spring.rabbitmq.password")).isTrue();
        assertThat(Secrets.isSecretName("license-batch.remote.api-token")).isTrue();
        assertThat(Secrets.isSecretName("spring.datasource.hikari.data-source-properties.sslpassword")).isTrue();
        assertThat(Secrets.isSecretName("LICENSE_BATCH_DB_PWD")).isTrue();
        assertThat(Secrets.isSecretName("some.credentials")).isTrue();
        assertThat(Secrets.isSecretName("license-batch.chunk-size")).isFalse();
        assertThat(Secrets.mask("jdbc:postgresql://h/db?user=u&sslpassword=abc")).doesNotContain("abc");
    }
}
