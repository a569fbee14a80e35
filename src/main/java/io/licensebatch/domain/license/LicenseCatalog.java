package io.licensebatch.domain.license;

import java.util.Map;
import java.util.Set;

/**
 * The license types and which organizations have a seat pool of each: the reference data a decision
 * needs, loaded once per step rather than once per learner.
 *
 * @param retiredByCode every known type code, mapped to whether it is retired
 * @param pools         the (org, type) pairs that have a pool
 */
public record LicenseCatalog(Map<String, Boolean> retiredByCode, Set<PoolKey> pools) {

    public boolean isKnown(String code) {
        return code != null && retiredByCode.containsKey(code);
    }

    public boolean isRetired(String code) {
        return Boolean.TRUE.equals(retiredByCode.get(code));
    }

    public boolean hasPool(Long orgId, String code) {
        return orgId != null && pools.contains(new PoolKey(orgId, code));
    }
}
