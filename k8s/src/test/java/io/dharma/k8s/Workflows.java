package io.dharma.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What every GitHub Actions workflow of the repository must have, checked on its parsed YAML: a name, triggers,
 * top-level permissions, jobs that each run on a pinned runner with steps (or call a reusable workflow), and every
 * action pinned to a full release version or a commit, never a branch or a moving major tag.
 */
final class Workflows {
    private static final Pattern PINNED = Pattern.compile("[^@\\s]+@(v?\\d+\\.\\d+\\.\\d+|[0-9a-f]{40})");

    private Workflows() {
    }

    /**
     * Violations of one workflow.
     *
     * @param file     file name, for the messages
     * @param workflow the parsed YAML (snakeyaml reads the key {@code on} as {@code true}, YAML 1.1)
     * @return violations; empty when the workflow is fine
     */
    static List<String> violations(String file, Map<Object, Object> workflow) {
        List<String> out = new ArrayList<>();
        if (!(workflow.get("name") instanceof String)) {
            out.add(file + ": no name");
        }
        if (workflow.get("on") == null && workflow.get(Boolean.TRUE) == null) {
            out.add(file + ": no triggers (on)");
        }
        if (!(workflow.get("permissions") instanceof Map<?, ?>)) {
            out.add(file + ": no top-level permissions (the token would get the repository's defaults)");
        }
        if (!(workflow.get("jobs") instanceof Map<?, ?> jobs) || jobs.isEmpty()) {
            out.add(file + ": no jobs");
            return out;
        }
        jobs.forEach((name, value) -> {
            if (!(value instanceof Map<?, ?> job)) {
                out.add(file + ": job " + name + " is not a mapping");
                return;
            }
            if (job.get("uses") != null) {
                pinned(file, String.valueOf(name), String.valueOf(job.get("uses")), out);
                return;
            }
            Object runsOn = job.get("runs-on");
            if (!(runsOn instanceof String runner) || runner.endsWith("-latest")) {
                out.add(file + ": job " + name + " needs runs-on with a fixed runner image (not *-latest): " + runsOn);
            }
            if (!(job.get("steps") instanceof List<?> steps) || steps.isEmpty()) {
                out.add(file + ": job " + name + " has no steps");
                return;
            }
            for (Object s : steps) {
                if (!(s instanceof Map<?, ?> step) || step.get("run") == null && step.get("uses") == null) {
                    out.add(file + ": job " + name + " has a step with neither run nor uses: " + s);
                } else if (step.get("uses") != null) {
                    pinned(file, String.valueOf(name), String.valueOf(step.get("uses")), out);
                }
            }
        });
        return out;
    }

    /**
     * Violations of .github/dependabot.yml: version 2, with updates for Maven and GitHub Actions.
     *
     * @param config the parsed YAML
     * @return violations
     */
    static List<String> dependabot(Map<Object, Object> config) {
        List<String> out = new ArrayList<>();
        if (!Integer.valueOf(2).equals(config.get("version"))) {
            out.add("dependabot.yml: version must be 2");
        }
        List<?> updates = config.get("updates") instanceof List<?> list ? list : List.of();
        for (String ecosystem : List.of("maven", "github-actions")) {
            boolean present = updates.stream().anyMatch(u -> u instanceof Map<?, ?> m && ecosystem.equals(m.get("package-ecosystem"))
                    && m.get("schedule") instanceof Map<?, ?>);
            if (!present) {
                out.add("dependabot.yml: no scheduled updates for " + ecosystem);
            }
        }
        return out;
    }

    private static void pinned(String file, String job, String uses, List<String> out) {
        if (!uses.startsWith("./") && !PINNED.matcher(uses).matches()) {
            out.add(file + ": job " + job + " uses " + uses + ", not pinned to a full version or a commit");
        }
    }
}
