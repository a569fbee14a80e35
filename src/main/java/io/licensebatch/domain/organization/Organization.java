package io.licensebatch.domain.organization;

import io.licensebatch.console.TerminalSafe;

public record Organization(long id, String name) {

    @Override
    public String toString() {
        return TerminalSafe.inline(name) + " (org " + id + ")"; // in sentences and headers: one line, whatever it holds
    }
}
