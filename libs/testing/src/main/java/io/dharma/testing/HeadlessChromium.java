package io.dharma.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A page as a person sees it: the Debian package's {@code chromium}, headless, loads it once, runs its scripts for up
 * to {@link #VIRTUAL_TIME} of virtual time (Chromium waits for the page's fetches meanwhile), then writes the
 * rendered DOM and a screenshot. Each load gets a fresh profile, removed afterwards.
 * <pre>{@code
 * HeadlessChromium.Page page = HeadlessChromium.load(URI.create("http://127.0.0.1:8080/openapi/ui"), screenshot);
 * }</pre>
 */
final class HeadlessChromium {
    /** Name of the executable, looked up on the PATH. */
    static final String EXECUTABLE = "chromium";
    /** Virtual time the page's scripts and timers get. */
    static final Duration VIRTUAL_TIME = Duration.ofSeconds(10);
    /** Width and height of the window, and so of the screenshot. */
    static final int WIDTH = 1280;
    static final int HEIGHT = 2000;
    /** Longest wall-clock wait for one load, on a busy machine. */
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** How Chromium logs a message of the page's console to stderr. */
    private static final String CONSOLE = ":CONSOLE";

    private HeadlessChromium() {
    }

    /**
     * Load a page.
     *
     * @param url        the page
     * @param screenshot where the PNG screenshot is written (its folder is created)
     * @return the rendered DOM and what the page wrote to its console
     * @throws IllegalStateException if chromium is not on the PATH, fails, or takes longer than two minutes
     */
    static Page load(URI url, Path screenshot) {
        Path profile = null;
        try {
            Files.createDirectories(screenshot.toAbsolutePath().getParent());
            Files.deleteIfExists(screenshot);
            profile = Files.createTempDirectory("chromium-profile");
            Path stderr = profile.resolveSibling(profile.getFileName() + ".log");
            Process chromium = new ProcessBuilder(executable().toString(),
                                                  "--headless=new",
                                                  "--no-sandbox",            // root in CI containers has no user namespace
                                                  "--disable-gpu",
                                                  "--disable-dev-shm-usage",
                                                  "--no-first-run",
                                                  "--hide-scrollbars",
                                                  "--user-data-dir=" + profile,
                                                  "--enable-logging=stderr",
                                                  "--v=0",
                                                  "--window-size=" + WIDTH + "," + HEIGHT,
                                                  "--virtual-time-budget=" + VIRTUAL_TIME.toMillis(),
                                                  "--screenshot=" + screenshot.toAbsolutePath(),
                                                  "--dump-dom",
                                                  url.toString())
                    .redirectError(stderr.toFile())
                    .start();
            chromium.getOutputStream().close();
            // the DOM comes on stdout: read it while Chromium runs, or a full pipe would block it
            byte[] dom = chromium.getInputStream().readAllBytes();
            if (!chromium.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                chromium.descendants().forEach(ProcessHandle::destroyForcibly);
                chromium.destroyForcibly();
                throw new IllegalStateException("chromium did not finish loading " + url + " within " + TIMEOUT);
            }
            List<String> log = Files.readAllLines(stderr, StandardCharsets.UTF_8);
            Files.deleteIfExists(stderr);
            if (chromium.exitValue() != 0) {
                throw new IllegalStateException("chromium exited with " + chromium.exitValue() + " loading " + url + ":\n"
                                                        + String.join("\n", log));
            }
            List<String> console = log.stream().filter(line -> line.contains(CONSOLE)).toList();
            return new Page(new String(dom, StandardCharsets.UTF_8), console, screenshot);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (profile != null) {
                delete(profile);
            }
        }
    }

    /**
     * The executable: {@value #EXECUTABLE} in a folder of the PATH.
     *
     * @return its path
     * @throws IllegalStateException if there is none
     */
    static Path executable() {
        return ServicesCondition.onPath(System.getenv("PATH"), EXECUTABLE)
                .orElseThrow(() -> new IllegalStateException("no " + EXECUTABLE + " on the PATH"));
    }

    private static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // a profile left in the temporary folder is harmless
        }
    }

    /**
     * A loaded page.
     *
     * @param dom        the DOM after the scripts ran, serialized as HTML
     * @param console    the lines Chromium logged for the page's console (errors, warnings, policy violations)
     * @param screenshot the PNG screenshot
     */
    record Page(String dom, List<String> console, Path screenshot) {
    }
}
