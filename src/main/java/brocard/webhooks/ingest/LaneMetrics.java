package brocard.webhooks.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.BlockingQueue;

/** What on-call sees of a lane: batch sizes and durations, queue depth, failed batches. */
final class LaneMetrics {
    final DistributionSummary batchSize;
    final Timer batchDuration;
    final Counter failedBatches;
    final Counter refusedByDatabase;

    LaneMetrics(String lane, BlockingQueue<?> queue, MeterRegistry registry) {
        batchSize = DistributionSummary.builder(IngestMetricNames.BATCH_SIZE)
                .tag("lane", lane)
                .description("Webhooks stored per transaction")
                .publishPercentileHistogram()
                .register(registry);
        batchDuration = Timer.builder(IngestMetricNames.BATCH_DURATION)
                .tag("lane", lane)
                .description("Time to store and commit one batch")
                .publishPercentileHistogram()
                .register(registry);
        failedBatches = registry.counter(IngestMetricNames.BATCH_FAILED, "lane", lane);
        refusedByDatabase = registry.counter(IngestMetricNames.REFUSED_BY_DATABASE, "lane", lane);
        Gauge.builder(IngestMetricNames.QUEUE_DEPTH, queue, BlockingQueue::size)
                .tag("lane", lane)
                .description("Webhooks waiting for the writer")
                .register(registry);
    }
}
