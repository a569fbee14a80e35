package io.licensebatch.domain.license;

/**
 * Names one seat pool: an organization's seats of one license type. Ordered as pools are locked.
 *
 * <p>equals and hashCode are written out: the writer looks pools up several times per learner, and a
 * record's generated ones go through method handles, which the quick JIT the job runs with does not inline
 * (6% of the apply threads' CPU).
 */
public record PoolKey(long orgId, String licenseType) implements Comparable<PoolKey> {

    @Override
    public int compareTo(PoolKey other) {
        int byOrg = Long.compare(orgId, other.orgId);
        return byOrg != 0 ? byOrg : licenseType.compareTo(other.licenseType);
    }

    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof PoolKey key && orgId == key.orgId
                && java.util.Objects.equals(licenseType, key.licenseType);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(orgId) + (licenseType == null ? 0 : licenseType.hashCode());
    }
}
