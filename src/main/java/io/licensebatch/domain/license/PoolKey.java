package io.licensebatch.domain.license;

/** Names one seat pool: an organization's seats of one license type. Ordered as pools are locked. */
public record PoolKey(long orgId, String licenseType) implements Comparable<PoolKey> {

    @Override
    public int compareTo(PoolKey other) {
        int byOrg = Long.compare(orgId, other.orgId);
        return byOrg != 0 ? byOrg : licenseType.compareTo(other.licenseType);
    }
}
