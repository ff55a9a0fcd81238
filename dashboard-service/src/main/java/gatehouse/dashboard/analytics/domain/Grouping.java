package gatehouse.dashboard.analytics.domain;

/**
 * How an analytics answer groups its aggregates (Tyk's {@code ResultId}): per API, per API and
 * tracked endpoint, or per hour or day.
 */
public enum Grouping {
    /** One unit per API: {@code /api/usage/apis}. */
    API,
    /** One unit per API and tracked endpoint: the key and OAuth client activity. */
    ENDPOINT,
    /** One unit per hour: a time series at {@code res=hour}. */
    HOUR,
    /** One unit per day: a time series at {@code res=day}. */
    DAY
}
