package gatehouse.bench;

/**
 * One measured run.
 *
 * @param target what was measured
 * @param round which interleaved round, from 1
 * @param connections how many connections drove it
 * @param load what the load generator saw
 * @param cpuMicros CPU time the target's processes used during the run
 * @param rssKib the target's resident memory after the run
 */
record Sample(
        String target, int round, int connections, LoadResult load, long cpuMicros, long rssKib) {

    double cpuMicrosPerRequest() {
        return load.requests() == 0 ? Double.NaN : cpuMicros / (double) load.requests();
    }
}
