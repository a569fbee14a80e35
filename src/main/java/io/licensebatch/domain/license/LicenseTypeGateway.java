package io.licensebatch.domain.license;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The {@code license_type} table, and the catalog of types and pools that decisions read. */
@Repository
public class LicenseTypeGateway {

    private static final String SELECT_TYPES = """
            select code, retired from license_type order by code
            """;

    private static final String SELECT_POOL_KEYS = """
            select org_id, license_type from license_pool
            """;

    private static final String RETIRE = """
            update license_type set retired = true where code = ? and not retired
            """;

    private static final String CURRENT_HOLDERS = """
            select count(*) from license_assignment where license_type = ? and ended_at is null
            """;

    private final JdbcTemplate jdbc;

    public LicenseTypeGateway(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every type (code to retired) and every pool: small reference data, read once per step. */
    public LicenseCatalog catalog() {
        Map<String, Boolean> types = new LinkedHashMap<>();
        jdbc.query(SELECT_TYPES, rs -> {
            types.put(rs.getString("code"), rs.getBoolean("retired"));
        });
        Set<PoolKey> pools = new HashSet<>();
        jdbc.query(SELECT_POOL_KEYS, rs -> {
            pools.add(new PoolKey(rs.getLong("org_id"), rs.getString("license_type")));
        });
        return new LicenseCatalog(types, pools);
    }

    /** The type's code as stored, matched case-insensitively and ignoring surrounding spaces. */
    public Optional<String> canonicalCode(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String wanted = code.trim().toUpperCase(Locale.ROOT);
        return catalog().retiredByCode().keySet().stream()
                .filter(known -> known.toUpperCase(Locale.ROOT).equals(wanted))
                .findFirst();
    }

    /** How many learners hold the type now, across every org. */
    public long currentHolders(String code) {
        Long n = jdbc.queryForObject(CURRENT_HOLDERS, Long.class, code);
        return n == null ? 0 : n;
    }

    public boolean retire(String code) {
        return jdbc.update(RETIRE, code) == 1;
    }
}
