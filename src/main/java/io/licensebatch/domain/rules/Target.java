package io.licensebatch.domain.rules;

/** What a rule gives a learner: a license type, or no license at all ({@link #REVOKE}). */
public record Target(String licenseType) {

    public static final Target REVOKE = new Target(null);

    public boolean isRevoke() {
        return licenseType == null;
    }

    @Override
    public String toString() {
        return isRevoke() ? "REVOKE" : licenseType;
    }
}
