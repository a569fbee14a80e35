package io.licensebatch.domain.organization;

public record Organization(long id, String name) {

    @Override
    public String toString() {
        return name + " (org " + id + ")";
    }
}
