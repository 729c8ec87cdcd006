package io.orderflow.sink.convert;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Asks a schema registry whether it answers: an HTTP {@code GET} of its URL. Any status below 500 is an answer, even
 * 401 or 404: the registry is there, so a converter's failure is about the record. No connection, no answer within
 * the timeout, or a 5xx (the registry's storage down, or a proxy in front with nothing behind it) is an outage. A TLS
 * failure counts as an answer: something listens that this probe cannot judge, so the converter's error stands.
 */
final class RegistryProbe {

    private final List<URI> urls;
    private final int timeoutMs;

    RegistryProbe(List<URI> urls, Duration timeout) {
        this.urls = List.copyOf(urls);
        this.timeoutMs = Math.toIntExact(timeout.toMillis());
    }

    List<URI> urls() {
        return urls;
    }

    /** Null when one of the URLs answers; otherwise what each said, for the messages. */
    String unreachable() {
        StringBuilder why = new StringBuilder();
        for (URI url : urls) {
            String problem = ask(url);
            if (problem == null) {
                return null;
            }
            why.append(why.length() == 0 ? "" : "; ").append(url).append(": ").append(problem);
        }
        return why.toString();
    }

    private String ask(URI url) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) url.toURL().openConnection();
            connection.setConnectTimeout(timeoutMs);
            connection.setReadTimeout(timeoutMs);
            connection.setInstanceFollowRedirects(false);
            int status = connection.getResponseCode();
            return status < 500 ? null : "HTTP " + status;
        } catch (SSLException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return e.toString();
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }
}
