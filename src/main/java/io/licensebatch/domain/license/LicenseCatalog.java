package io.licensebatch.domain.license;

import java.util.Map;
import java.util.Set;

/**
 * The license types and which organizations have a seat pool of each: the reference data a decision
 * needs, loaded once per step rather than once per learner.
 *
 * @param retiredByCode every known type code, mapped to whether it is retired
 * @param pools         the (org, type) pairs that have a pool
 * @param poolsOnDemand true when the run creates any pool it needs, so every org counts as having one
 */
public record LicenseCatalog(Map<String, Boolean> retiredByCode, Set<PoolKey> pools, boolean poolsOnDemand) {

    public LicenseCatalog(Map<String, Boolean> retiredByCode, Set<PoolKey> pools) {
        this(retiredByCode, pools, false);
    }

    /** The catalog of a run that creates the target pools it needs (a migration with seat transfer). */
    public LicenseCatalog withPoolsOnDemand() {
        return new LicenseCatalog(retiredByCode, pools, true);
    }

    public boolean isKnown(String code) {
        return code != null && retiredByCode.containsKey(code);
    }

    public boolean isRetired(String code) {
        return Boolean.TRUE.equals(retiredByCode.get(code));
    }

    public boolean hasPool(Long orgId, String code) {
        return orgId != null && (poolsOnDemand || pools.contains(new PoolKey(orgId, code)));
    }
}
