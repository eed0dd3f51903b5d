package io.sightline.telemetry.errors;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.HandlerMapping;

/** Servlet requests as the Sentry request tests and benchmarks send them. */
public final class TypicalRequests {

    private TypicalRequests() {}

    /**
     * A {@code GET /orders/17?page=2&token=…} handled as {@code /orders/{id}}, with the twelve headers a browser
     * behind a gateway typically sends (a session cookie and an Authorization among them); {@code id} its
     * X-Request-Id.
     */
    public static MockHttpServletRequest get(String id) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders/17");
        request.setServerName("shop.example.com");
        request.setQueryString("page=2&token=t0p-s3cret");
        request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/orders/{id}");
        request.addHeader("Host", "shop.example.com");
        request.addHeader("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
        request.addHeader("Accept", "application/json, text/plain, */*");
        request.addHeader("Accept-Encoding", "gzip, deflate, br");
        request.addHeader("Accept-Language", "en-GB,en;q=0.7");
        request.addHeader("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl");
        request.addHeader("Cookie", "JSESSIONID=0F3A9C; theme=dark");
        request.addHeader("X-Forwarded-For", "203.0.113.7");
        request.addHeader("X-Forwarded-Proto", "https");
        request.addHeader("X-Request-Id", id);
        request.addHeader("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        request.addHeader("Connection", "keep-alive");
        return request;
    }
}
