package io.licensebatch.selection;

import io.licensebatch.domain.assignment.Action;

import java.util.List;
import java.util.Map;

/**
 * What an operator asked for, as stored in {@code change_request}: the job parameters name it, so a job
 * instance is exactly one request and a restart works on what the operator confirmed.
 *
 * @param csvSha256 an upload's fingerprint: the SHA-256 of its block hashes ({@code csvBlocks})
 * @param csvBlocks an upload's SHA-256 per 1 MiB block, concatenated: staging reads the file through them
 * @param options the selection options and flags by command-line name ({@code status}, {@code exclude-id},
 *                ...), each with its values in the order given
 */
public record ChangeRequest(long id, RequestKind kind, Long orgId, Action action, String targetType,
        String sourceType, Long sourceExecutionId, String csvFile, String csvSha256, String csvBlocks, boolean dryRun,
        String description, Map<String, List<String>> options) {

    public List<String> option(String name) {
        return options.getOrDefault(name, List.of());
    }

    public boolean flag(String name) {
        return option(name).contains("true");
    }
}
