package io.dharma.testing;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * POSIX signals to child processes ({@code kill -<signal> <pid>}): the JDK can only send SIGTERM and SIGKILL.
 */
final class Signals {
    private Signals() {
    }

    /**
     * Send a signal and wait for {@code kill} to return.
     *
     * @param process the process
     * @param signal  e.g. {@code STOP}, {@code CONT}, {@code KILL}
     */
    static void send(Process process, String signal) {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while signalling " + process.pid(), e);
        }
    }
}
