package io.dharma.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, for requests no well-behaved client sends: any method token, header value or path
 * bytes. Each call opens a connection, writes the request as given and reads one answer; a server that does not answer
 * within the timeout fails the call, so "the connection hangs" is a test failure, not a stuck build.
 */
public final class RawHttp {
    private final int port;
    private final Duration timeout;

    private RawHttp(int port, Duration timeout) {
        this.port = port;
        this.timeout = timeout;
    }

    /**
     * A client of a loopback port.
     *
     * @param port    port
     * @param timeout longest wait for the whole answer
     * @return client
     */
    public static RawHttp create(int port, Duration timeout) {
        return new RawHttp(port, timeout);
    }

    /**
     * Send a request made of a request line, header lines and an optional body; {@code Host}, {@code Connection: close}
     * and, for a body, {@code Content-Length} are added unless {@code headerLines} has them.
     *
     * @param requestLine e.g. {@code POST /api/v1/things HTTP/1.1}
     * @param headerLines e.g. {@code Content-Type: ;;}
     * @param body        body, may be empty
     * @return the answer
     * @throws AssertionError if no complete answer arrives within the timeout
     */
    public Answer send(String requestLine, List<String> headerLines, String body) {
        return exchange(List.of(new Request(requestLine, headerLines, body))).getFirst();
    }

    /**
     * Send several requests on one keep-alive connection, one after the other, and read each answer: an answer whose
     * framing is wrong (e.g. a body after a HEAD answer) garbles the next one.
     *
     * @param requests requests, in order
     * @return answers, in order
     * @throws AssertionError if an answer is missing or malformed
     */
    public List<Answer> exchange(List<Request> requests) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            List<Answer> answers = new ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                Request request = requests.get(i);
                try {
                    out.write(request.bytes(port, i == requests.size() - 1));
                    out.flush();
                } catch (IOException refused) {
                    // the server answered early and closed (e.g. 413 before the whole body): its answer is still to read
                    socket.shutdownOutput();
                }
                try {
                    answers.add(read(in, request.requestLine().startsWith("HEAD ")));
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("No answer within " + timeout + " to: " + abbreviate(request.requestLine()
                            + " " + request.headerLines()));
                }
            }
            return answers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer read(InputStream in, boolean head) throws IOException {
        String statusLine = line(in);
        if (!statusLine.startsWith("HTTP/1.1 ")) {
            throw new AssertionError("Not a status line: '" + abbreviate(statusLine) + "'");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (head || status == 204 || status == 304) {
            // no body, whatever Content-Length says
            return new Answer(status, headers, "");
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).strip(), 16); size > 0; size = Integer.parseInt(line(in).strip(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            line(in);
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else {
            in.transferTo(body);
        }
        return new Answer(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static String abbreviate(String request) {
        return request.length() > 300 ? request.substring(0, 300) + "..." : request;
    }

    /**
     * One request.
     *
     * @param requestLine e.g. {@code HEAD /api/v1/things/1 HTTP/1.1}
     * @param headerLines header lines as sent
     * @param body        body, may be empty
     */
    public record Request(String requestLine, List<String> headerLines, String body) {
        byte[] bytes(int port, boolean last) {
            StringBuilder request = new StringBuilder(requestLine).append("\r\n");
            boolean host = false;
            boolean length = false;
            for (String line : headerLines) {
                String lower = line.toLowerCase(Locale.ROOT);
                host |= lower.startsWith("host:");
                length |= lower.startsWith("content-length:") || lower.startsWith("transfer-encoding:");
                request.append(line).append("\r\n");
            }
            if (!host) {
                request.append("Host: 127.0.0.1:").append(port).append("\r\n");
            }
            byte[] entity = body.getBytes(StandardCharsets.UTF_8);
            if (!length && entity.length > 0) {
                request.append("Content-Length: ").append(entity.length).append("\r\n");
            }
            request.append(last ? "Connection: close\r\n\r\n" : "\r\n");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            bytes.writeBytes(entity);
            return bytes.toByteArray();
        }
    }

    /**
     * One answer.
     *
     * @param status  status code
     * @param headers header names (lower case) to their first value
     * @param body    body as UTF-8 text
     */
    public record Answer(int status, Map<String, String> headers, String body) {
        /**
         * A header's first value.
         *
         * @param name name, any case
         * @return value
         */
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }
}
