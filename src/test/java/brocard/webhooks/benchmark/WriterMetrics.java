package brocard.webhooks.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The group-commit writer's own view of a run, from the app's Prometheus text before and after it: batches per lane,
 * their mean size and mean transaction time. Tells a slow database (long batches) from a starved writer (small ones).
 */
final class WriterMetrics {

    private final Map<String, Double> values;

    private WriterMetrics(Map<String, Double> values) {
        this.values = values;
    }

    static WriterMetrics scrape(URI metrics) {
        Map<String, Double> values = new HashMap<>();
        try {
            HttpURLConnection http = (HttpURLConnection) metrics.toURL().openConnection();
            try (InputStream in = http.getInputStream()) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (line.startsWith("brocard_ingest_batch_size_")
                            || line.startsWith("brocard_ingest_batch_duration")
                            || line.startsWith("brocard_ingest_batch_failed")
                            || line.startsWith("brocard_outbox_pub")) {
                        int space = line.lastIndexOf(' ');
                        // Some exposition formats end label sets with a comma: {lane="events",}
                        values.put(
                                line.substring(0, space).replace(",}", "}"),
                                Double.parseDouble(line.substring(space + 1)));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return new WriterMetrics(Map.of());
        }
        return new WriterMetrics(values);
    }

    /** One line per lane: batches, mean webhooks per batch, mean ms per batch transaction, failed batches. */
    String since(WriterMetrics before) {
        StringBuilder out = new StringBuilder();
        for (String lane : new String[] {"events-0", "events-1", "otp"}) {
            double batches = delta(before, "brocard_ingest_batch_size_count{lane=\"" + lane + "\"}");
            double webhooks = delta(before, "brocard_ingest_batch_size_sum{lane=\"" + lane + "\"}");
            double seconds = delta(before, "brocard_ingest_batch_duration_seconds_sum{lane=\"" + lane + "\"}");
            double failed = delta(before, "brocard_ingest_batch_failed_total{lane=\"" + lane + "\"}");
            out.append(String.format(
                    "%s %.0f batches, %.1f webhooks/batch, %.2f ms/batch, %.0f failed; ",
                    lane,
                    batches,
                    batches == 0 ? 0 : webhooks / batches,
                    batches == 0 ? 0 : seconds * 1000 / batches,
                    failed));
        }
        return values.isEmpty() ? "n/a" : out.toString();
    }

    private double delta(WriterMetrics before, String key) {
        return values.getOrDefault(key, 0.0) - before.values.getOrDefault(key, 0.0);
    }
}
