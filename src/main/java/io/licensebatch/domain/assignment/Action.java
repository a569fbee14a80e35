package io.licensebatch.domain.assignment;

/** What a selection item asks for: a move to a target license type, or the end of every license. */
public enum Action {
    REASSIGN,
    REVOKE
}
