package gatehouse.bench;

/**
 * One load run against one target.
 *
 * @param requests requests completed
 * @param seconds how long the run lasted
 * @param p50Micros median latency
 * @param p99Micros 99th percentile latency
 * @param failed answers outside 2xx (wrk: outside 2xx and 3xx) plus socket errors
 */
record LoadResult(long requests, double seconds, double p50Micros, double p99Micros, long failed) {

    double rps() {
        return seconds <= 0 ? 0 : requests / seconds;
    }
}
