package io.licensebatch.support;

import io.licensebatch.verify.InvariantChecker;

import static org.assertj.core.api.Assertions.assertThat;

/** Every test that changes data ends by checking the invariants of DESIGN.md. */
public final class Invariants {

    private Invariants() {
    }

    public static void assertHold(InvariantChecker checker) {
        assertThat(checker.check(null)).allSatisfy(check -> assertThat(check.violations()).as(check.invariant())
                .isEmpty());
    }
}
