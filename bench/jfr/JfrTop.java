import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU samples of a JFR recording go (jdk.ExecutionSample events; record with settings=profile), as shares of
 * all samples:
 * <ul>
 *     <li>top frames: the method on top of the stack (self time);</li>
 *     <li>first non-JDK frame from the top, by method and by package: which library or application code the sample's
 *         work belongs to (a ServiceLoader scan counts for the code that started it);</li>
 *     <li>the innermost io.dharma frame: the Dharma code doing the work or calling the library that does it (a
 *         filter's own cost, a handler's serialisation), the nested filter chain left out;</li>
 *     <li>inclusive io.dharma methods and packages: each counted once per sample it appears in (a feature's whole cost;
 *         filters nest, so an outer filter includes everything after it).</li>
 * </ul>
 * Usage: {@code java bench/jfr/JfrTop.java recording.jfr [rows, default 15]} (a single-file program, JDK 25).
 */
public class JfrTop {
    public static void main(String[] args) throws IOException {
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        Map<String, Integer> top = new HashMap<>();
        Map<String, Integer> firstOwn = new HashMap<>();
        Map<String, Integer> firstOwnPackage = new HashMap<>();
        Map<String, Integer> dharmaMethods = new HashMap<>();
        Map<String, Integer> innermost = new HashMap<>();
        Map<String, Integer> packages = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            top.merge(method(frames.get(0).getMethod()), 1, Integer::sum);
            for (RecordedFrame frame : frames) {
                String type = frame.getMethod().getType().getName();
                if (!jdk(type)) {
                    firstOwn.merge(method(frame.getMethod()), 1, Integer::sum);
                    firstOwnPackage.merge(pkg(type), 1, Integer::sum);
                    break;
                }
            }
            String feature = "(no io.dharma frame)";
            for (RecordedFrame frame : frames) {
                if (frame.getMethod().getType().getName().startsWith("io.dharma.")) {
                    feature = method(frame.getMethod());
                    break;
                }
            }
            innermost.merge(feature, 1, Integer::sum);
            Set<String> seenMethods = new HashSet<>();
            Set<String> seenPackages = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String type = frame.getMethod().getType().getName();
                if (type.startsWith("io.dharma.")) {
                    seenMethods.add(method(frame.getMethod()));
                }
                if (!jdk(type)) {
                    seenPackages.add(pkg(type));
                }
            }
            seenMethods.forEach(m -> dharmaMethods.merge(m, 1, Integer::sum));
            seenPackages.forEach(p -> packages.merge(p, 1, Integer::sum));
        }
        System.out.printf("%s: %d execution samples%n", args[0], samples);
        print("top frames (self)", top, samples, rows);
        print("first non-JDK frame from the top, by method", firstOwn, samples, rows);
        print("first non-JDK frame from the top, by package", firstOwnPackage, samples, rows);
        print("innermost io.dharma frame (the code doing or starting the work)", innermost, samples, rows);
        print("io.dharma methods, inclusive", dharmaMethods, samples, rows);
        print("non-JDK packages, inclusive", packages, samples, rows);
    }

    private static boolean jdk(String type) {
        return type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.") || type.startsWith("com.sun.");
    }

    private static String pkg(String type) {
        int dot = type.lastIndexOf('.');
        return dot < 0 ? "(default)" : type.substring(0, dot);
    }

    private static String method(RecordedMethod method) {
        return method.getType().getName() + "." + method.getName();
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int rows) {
        System.out.printf("%n| %s | share |%n|---|---:|%n", title);
        Function<Map.Entry<String, Integer>, String> row = e -> "| `%s` | %.1f %% |".formatted(
                e.getKey(), 100.0 * e.getValue() / Math.max(1, samples));
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(rows)
                .map(row)
                .forEach(System.out::println);
    }
}
