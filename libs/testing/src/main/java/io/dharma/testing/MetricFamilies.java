package io.dharma.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Metric families and their label names, read from a Prometheus text scrape or from a Markdown metrics table, so a
 * test can compare what a service publishes with what its docs promise.
 */
public final class MetricFamilies {
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    /** Labels that are not part of a family's identity: histogram bounds and Helidon's meter scope. */
    private static final Set<String> IGNORED = Set.of("le", "scope");

    private MetricFamilies() {
    }

    /**
     * The families of a scrape, by name, with the label names their samples carry ({@code le} and Helidon's
     * {@code scope} left out). A histogram's {@code _bucket}, {@code _count}, {@code _sum} samples and its
     * {@code _max} gauge belong to the histogram's family.
     *
     * @param scrape Prometheus text
     * @return label names by family name
     */
    public static Map<String, Set<String>> scrape(String scrape) {
        Map<String, String> types = new HashMap<>();
        scrape.lines().filter(l -> l.startsWith("# TYPE ")).forEach(l -> {
            String[] parts = l.split(" ");
            types.put(parts[2], parts[3]);
        });
        Map<String, Set<String>> families = new TreeMap<>();
        for (String line : scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList()) {
            int brace = line.indexOf('{');
            String sample = brace < 0 ? line.substring(0, line.indexOf(' ')) : line.substring(0, brace);
            Set<String> labels = families.computeIfAbsent(family(sample, types), k -> new TreeSet<>());
            if (brace >= 0) {
                Matcher label = LABEL.matcher(line.substring(brace, line.lastIndexOf('}') + 1));
                while (label.find()) {
                    if (!IGNORED.contains(label.group(1))) {
                        labels.add(label.group(1));
                    }
                }
            }
        }
        return families;
    }

    /**
     * The families of a Markdown table whose rows are {@code | `name`[, `name` ...] | type | `label`, ... | meaning |}
     * (a label cell without code spans means no labels); other lines are ignored.
     *
     * @param markdown document text
     * @return label names by family name
     */
    public static Map<String, Set<String>> table(String markdown) {
        Map<String, Set<String>> families = new TreeMap<>();
        for (String line : markdown.lines().filter(l -> l.startsWith("| `")).toList()) {
            String[] cells = line.split("\\|");
            if (cells.length < 4) {
                continue;
            }
            Set<String> labels = new TreeSet<>();
            Matcher label = CODE.matcher(cells[3]);
            while (label.find()) {
                labels.add(label.group(1));
            }
            Matcher name = CODE.matcher(cells[1]);
            while (name.find()) {
                families.put(name.group(1), labels);
            }
        }
        return families;
    }

    private static String family(String sample, Map<String, String> types) {
        for (String suffix : new String[] {"_bucket", "_count", "_sum", "_max"}) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                if ("histogram".equals(types.get(base))) {
                    return base;
                }
            }
        }
        return sample;
    }
}
