package io.licensebatch.domain.rules;

import io.licensebatch.domain.learner.LearnerStatus;
import io.licensebatch.domain.license.LicenseCatalog;
import io.licensebatch.domain.organization.Organization;
import io.licensebatch.domain.rules.LearnerProfile;
import io.licensebatch.domain.rules.Target;
import io.licensebatch.request.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RulesFileTest {

    private static final LicenseCatalog CATALOG = new LicenseCatalog(
            Map.of("LEARNING_PRO", false, "LEARNING_HUB", false, "LEARNING_CLASSIC", true), Set.of());
    private static final Organization ACME = new Organization(1, "Acme Learning");
    private static final Organization GLOBEX = new Organization(2, "Globex");

    @TempDir
    Path dir;

    @Test
    void readsTheOrganizationsTheirRulesInOrderAndDefaults() throws IOException {
        RulesFile rules = load("""
                organizations:
                  - organization: Acme Learning
                    default: learning_pro
                    rules:
                      - name: sales on hub
                        when: {department: [Sales, Support], location: Berlin, group: EMEA, status: ACTIVE}
                        license: LEARNING_HUB
                      - name: leavers
                        when: {status: [DEACTIVATED], inactive-since: 2026-01-01, inactive-for-days: 30}
                        license: revoke
                  - organization: Globex
                    rules:
                      - license: LEARNING_HUB
                """);

        assertThat(rules.organizations()).extracting(rulesOf -> rulesOf.organization().name())
                .containsExactly("Acme Learning", "Globex");
        RulesFile.OrgRules acme = rules.forOrganization(1).orElseThrow();
        assertThat(acme.rules().rules()).extracting("name").containsExactly("sales on hub", "leavers");
        assertThat(acme.rules().defaultTarget()).isEqualTo(new Target("LEARNING_PRO"));
        assertThat(acme.rules().rules().get(1).target()).isEqualTo(Target.REVOKE);
        assertThat(acme.rules().rules().get(1).inactiveSince()).isEqualTo(LocalDate.of(2026, 1, 1));
        LearnerProfile salesInBerlin = new LearnerProfile(LearnerStatus.ACTIVE, "Sales", "Berlin", Set.of("emea"), null);
        assertThat(acme.rules().targetFor(salesInBerlin, LocalDate.of(2026, 11, 26))).contains(new Target("LEARNING_HUB"));
        assertThat(rules.forOrganization(2).orElseThrow().rules().rules().get(0).name()).isEqualTo("rule 1");
        assertThat(rules.sha256()).hasSize(64);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown condition      | when: {colour: blue}                     | organizations[1] (Acme Learning), rule 1 'r', when.colour: unknown condition
            unknown license type   | when: {}                                  | rule 1 'r', license: no license type 'LEARNING_GOLD'
            retired license type   | when: {}                                  | LEARNING_CLASSIC is retired
            bad status             | when: {status: [ASLEEP]}                  | rule 1 'r', when.status: no learner status 'ASLEEP'
            bad date               | when: {inactive-since: soon}              | when.inactive-since: 'soon' is not a date
            bad number of days     | when: {inactive-for-days: -3}             | when.inactive-for-days: '-3' is not a number of days
            unknown rule field     | colour: blue                              | rule 1 'r', colour: unknown field
            no department at all   | when: {department: }                      | when.department: an empty value
            empty department       | when: {department: ""}                    | when.department: an empty value
            an empty location      | when: {location: [Berlin, " "]}           | when.location: an empty value
            no groups              | when: {group: []}                         | when.group: an empty value
            conditions left out    | 'when:'                                   | when: no conditions (commented out?)
            impossible date        | when: {inactive-since: 2026-02-30}        | inactive-since: '2026-02-30' is not a date
            days in hexadecimal    | when: {inactive-for-days: 0x5A}           | inactive-for-days: '0x5A' is not a number of days
            """)
    void aBadRuleIsRefusedNamingTheFileTheRuleAndTheField(String what, String line, String message) throws IOException {
        String license = what.equals("unknown license type") ? "LEARNING_GOLD"
                : what.equals("retired license type") ? "LEARNING_CLASSIC" : "LEARNING_HUB";
        Path file = write("""
                organizations:
                  - organization: Acme Learning
                    rules:
                      - name: r
                        license: %s
                        %s
                """.formatted(license, line));

        assertThatThrownBy(() -> load(file)).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining(message);
    }

    @Test
    void aWholeFileProblemIsRefusedNamingTheFile() throws IOException {
        assertRefused("organizations: []\n", "'organizations' must be a list with at least one organization");
        assertRefused("rules: []\n", "the file, rules: unknown field");
        assertRefused("organizations:\n  - organization: Nope\n    default: LEARNING_PRO\n",
                "organization 'Nope' does not exist");
        assertRefused("organizations:\n  - organization: Acme Learning\n", "no rules and no default");
        assertRefused("organizations:\n  - organization: Acme Learning\n    rules:\n      - name: x\n",
                "license is required");
        assertRefused("organizations:\n  - {organization: Globex, default: REVOKE}\n  - {organization: '2', default: REVOKE}\n",
                "has rules earlier in the file already");
        assertRefused("organizations: [unclosed\n", "not valid YAML");
        assertThatThrownBy(() -> RulesFile.load(dir.resolve("missing.yaml"), CATALOG, names -> this::organization))
                .hasMessageContaining("no such rules file");
    }

    private void assertRefused(String yaml, String message) throws IOException {
        Path file = write(yaml);
        assertThatThrownBy(() -> load(file)).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining(message);
    }

    private RulesFile load(String yaml) throws IOException {
        return load(write(yaml));
    }

    private RulesFile load(Path file) {
        return RulesFile.load(file, CATALOG, names -> this::organization);
    }

    private Path write(String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "rules", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private Optional<Organization> organization(String idOrName) {
        return java.util.stream.Stream.of(ACME, GLOBEX)
                .filter(org -> org.name().equalsIgnoreCase(idOrName) || String.valueOf(org.id()).equals(idOrName))
                .findFirst();
    }
}
