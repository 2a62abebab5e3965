package io.dharma.security;

import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Puts the security and CORS headers back on an error response (Helidon reset the response before calling the error
 * handler), then lets the wrapped handler answer.
 */
final class HeaderRestoringErrorHandler implements ErrorHandler<Throwable> {
    private final ErrorHandler<Throwable> delegate;

    HeaderRestoringErrorHandler(ErrorHandler<Throwable> delegate) {
        this.delegate = delegate;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res, Throwable throwable) {
        SurvivingHeaders.find(req.context()).ifPresent(headers -> headers.restore(res));
        delegate.handle(req, res, throwable);
    }
}
