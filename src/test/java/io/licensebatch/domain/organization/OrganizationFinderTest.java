package io.licensebatch.domain.organization;

import io.licensebatch.cli.Cli;
import io.licensebatch.support.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static io.licensebatch.support.Processes.jdbc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lookup of a platform's many org names at once answers every id or name as the lookup of one does: ids
 * first for numbers, names case-insensitively (as the database lowers them), nothing for unknown ones. On both
 * databases.
 */
class OrganizationFinderTest {

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void manyNamesAtOnceAreFoundAsOneAtATime(String database) {
        String db = database.equals("h2") ? TestDatabases.h2Url("org_finder") + ";USER=sa"
                : TestDatabases.create("org_finder");
        assertThat(Cli.execute("status", "--db", db)).isZero();
        JdbcTemplate jdbc = jdbc(db);
        List<String> asked = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            jdbc.update("insert into organization (name) values (?)", "Org Ünïcode " + i);
            asked.add(i % 2 == 0 ? "  org ünïcode " + i + " " : "ORG ÜNÏCODE " + i);
        }
        jdbc.update("insert into organization (name) values ('7')");
        long numberNamed = jdbc.queryForObject("select id from organization where name = '7'", Long.class);
        asked.addAll(List.of("3", "7", String.valueOf(numberNamed), "999999", "Nobody", "", "Org Ünïcode 31"));
        OrganizationGateway organizations = new OrganizationGateway(jdbc);

        Function<String, Optional<Organization>> finder = organizations.finder(asked);

        assertThat(asked).hasSizeGreaterThan(20).allSatisfy(text ->
                assertThat(finder.apply(text)).as(text).isEqualTo(organizations.find(text)));
        assertThat(finder.apply("org ünïcode 12")).map(Organization::name).contains("Org Ünïcode 12");
        assertThat(finder.apply("7")).map(Organization::id).contains(7L);
        assertThat(finder.apply("Nobody")).isEmpty();
    }
}
