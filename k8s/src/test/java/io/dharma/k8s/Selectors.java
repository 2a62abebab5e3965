package io.dharma.k8s;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

/** Kubernetes label selection: does a selector pick objects with these labels. */
final class Selectors {
    private Selectors() {
    }

    /**
     * A Service-style selector (plain map): empty selects nothing here, since a Service without one gets no endpoints.
     *
     * @param selector selector
     * @param labels   labels of the pods
     * @return whether every pair is among the labels
     */
    static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    /**
     * A LabelSelector (matchLabels and matchExpressions).
     *
     * @param selector selector; null selects nothing
     * @param labels   labels
     * @return whether the selector selects objects with these labels
     */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> exact = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        if (!labels.entrySet().containsAll(exact.entrySet())) {
            return false;
        }
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
        return expressions == null || expressions.stream().allMatch(e -> matches(e, labels));
    }

    private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
        String value = labels.get(requirement.getKey());
        return switch (requirement.getOperator()) {
            case "In" -> value != null && requirement.getValues().contains(value);
            case "NotIn" -> value == null || !requirement.getValues().contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> false;
        };
    }
}
