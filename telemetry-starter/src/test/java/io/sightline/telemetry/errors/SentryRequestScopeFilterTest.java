package io.sightline.telemetry.errors;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.sentry.Breadcrumb;
import io.sentry.Sentry;
import io.sentry.SentryEvent;
import io.sentry.protocol.Feedback;
import io.sentry.spring7.SentryRequestResolver;
import io.sentry.spring7.SentrySpringFilter;
import io.sentry.spring7.SentryTaskDecorator;
import io.sentry.spring7.tracing.SpringMvcTransactionNameProvider;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.HandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's request scope filter against Sentry's own {@link SentrySpringFilter}, both run on the same servlet
 * request with Sentry initialised (events taken in {@code beforeSend}, nothing sent).
 */
class SentryRequestScopeFilterTest {

    private final List<SentryEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeSentry() {
        Sentry.close();
    }

    @ParameterizedTest(name = "send-default-pii={0}")
    @ValueSource(booleans = {false, true})
    void anErrorInARequestCarriesTheRequestAndTransactionNameSentrysFilterGives(boolean sendDefaultPii)
            throws Exception {
        initSentry(sendDefaultPii);
        FilterChain failing = (request, response) -> Sentry.captureException(new IllegalStateException("refused"));

        sentrysFilter().doFilter(TypicalRequests.get("a"), new MockHttpServletResponse(), failing);
        starterFilter().doFilter(TypicalRequests.get("a"), new MockHttpServletResponse(), failing);

        assertThat(this.events).hasSize(2);
        SentryEvent sentrys = this.events.get(0);
        SentryEvent starters = this.events.get(1);
        assertThat(starters.getRequest()).isNotNull().usingRecursiveComparison().isEqualTo(sentrys.getRequest());
        assertThat(starters.getTransaction())
                .isEqualTo(sentrys.getTransaction())
                .isEqualTo("GET /orders/{id}");
        assertThat(starters.getBreadcrumbs())
                .extracting(Breadcrumb::getData)
                .isEqualTo(sentrys.getBreadcrumbs().stream()
                        .map(Breadcrumb::getData)
                        .toList());
        assertThat(starters.getRequest().getCookies())
                .isEqualTo(sendDefaultPii ? "JSESSIONID=[Filtered]; theme=dark" : null);
    }

    /** Sentry gives user feedback no request of the scope (but its processors' transaction name). */
    @Test
    void feedbackInARequestCarriesWhatSentrysFilterGives() throws Exception {
        initSentry(false);
        FilterChain feedback = (request, response) -> Sentry.captureFeedback(new Feedback("the page was slow"));

        sentrysFilter().doFilter(TypicalRequests.get("a"), new MockHttpServletResponse(), feedback);
        starterFilter().doFilter(TypicalRequests.get("a"), new MockHttpServletResponse(), feedback);

        assertThat(this.events).hasSize(2);
        assertThat(this.events.get(0).getRequest()).isNull();
        assertThat(this.events.get(1).getRequest()).isNull();
        assertThat(this.events.get(1).getTransaction())
                .isEqualTo(this.events.get(0).getTransaction());
    }

    @Test
    void twoConcurrentRequestsKeepTheirBreadcrumbsApart() throws Exception {
        initSentry(false);
        Filter filter = starterFilter();
        CountDownLatch bothInFlight = new CountDownLatch(2);
        FilterChain chain = (request, response) -> {
            String id = ((MockHttpServletRequest) request).getHeader("X-Request-Id");
            Sentry.addBreadcrumb("handled " + id);
            bothInFlight.countDown();
            try {
                assertThat(bothInFlight.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            Sentry.captureMessage("in " + id);
        };
        Thread other = new Thread(() -> run(filter, TypicalRequests.get("b"), chain));
        other.start();
        filter.doFilter(TypicalRequests.get("a"), new MockHttpServletResponse(), chain);
        other.join(30_000);

        assertThat(this.events).hasSize(2);
        for (SentryEvent event : this.events) {
            String id = event.getMessage().getFormatted().substring("in ".length());
            assertThat(event.getBreadcrumbs())
                    .extracting(Breadcrumb::getMessage)
                    .filteredOn((message) -> message != null)
                    .containsExactly("handled " + id);
            assertThat(event.getRequest().getHeaders()).containsEntry("X-Request-Id", id);
        }
    }

    /**
     * The container recycles a servlet request once answered: here the same object then carries another request.
     * An event from a task decorated during the request but run after it carries no request and no transaction
     * name from the filter (Sentry's filter would give the request as it was, and the transaction name read from
     * the recycled object: the other request's).
     */
    @Test
    void anEventFromADecoratedTaskAfterTheRequestReturnedCarriesNoOtherRequestsData() throws Exception {
        initSentry(true);
        MockHttpServletRequest recycled = TypicalRequests.get("a");
        AtomicReference<Runnable> task = new AtomicReference<>();
        starterFilter()
                .doFilter(
                        recycled,
                        new MockHttpServletResponse(),
                        (request, response) ->
                                task.set(new SentryTaskDecorator().decorate(() -> Sentry.captureMessage("later"))));
        reuse(recycled, "b");

        task.get().run();

        assertThat(this.events).singleElement().satisfies((event) -> {
            assertThat(event.getTransaction()).isNull();
            assertThat(event.getRequest()).isNull();
        });
    }

    @Test
    void anAsynchronousRequestKeepsItsRequestForEventsAfterTheFilterReturned() throws Exception {
        initSentry(false);
        MockHttpServletRequest request = TypicalRequests.get("a");
        request.setAsyncSupported(true);
        AtomicReference<Runnable> task = new AtomicReference<>();
        starterFilter().doFilter(request, new MockHttpServletResponse(), (req, response) -> {
            req.startAsync();
            task.set(new SentryTaskDecorator().decorate(() -> Sentry.captureMessage("async")));
        });
        reuse(request, "b");

        task.get().run();

        assertThat(this.events).singleElement().satisfies((event) -> {
            assertThat(event.getRequest().getHeaders()).containsEntry("X-Request-Id", "a");
            assertThat(event.getTransaction()).isEqualTo("GET /orders/{id}");
        });
    }

    private void initSentry(boolean sendDefaultPii) {
        Sentry.init((options) -> {
            options.setDsn("http://publickey@127.0.0.1:9/42");
            options.setSendDefaultPii(sendDefaultPii);
            options.setBeforeSend((event, hint) -> {
                this.events.add(event);
                return null;
            });
            options.setBeforeSendFeedback((event, hint) -> {
                this.events.add(event);
                return null;
            });
        });
    }

    private static Filter sentrysFilter() {
        return new SentrySpringFilter(
                Sentry.getCurrentScopes(),
                new SentryRequestResolver(Sentry.getCurrentScopes()),
                new SpringMvcTransactionNameProvider());
    }

    private static Filter starterFilter() {
        return new SentryRequestScopeFilter(
                Sentry.getCurrentScopes(),
                new SentryRequestResolver(Sentry.getCurrentScopes()),
                new SpringMvcTransactionNameProvider());
    }

    private static void run(Filter filter, MockHttpServletRequest request, FilterChain chain) {
        try {
            filter.doFilter(request, new MockHttpServletResponse(), chain);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** What the container's reuse of the object looks like to a late reader: another request's headers. */
    private static void reuse(MockHttpServletRequest request, String id) {
        request.removeHeader("X-Request-Id");
        request.addHeader("X-Request-Id", id);
        request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/other/{id}");
    }
}
