import * as df from 'durable-functions';

/** Our own HTTP calls and storage writes: transient failures are retried by the durable runtime. */
export const activityRetry = (() => {
    const options = new df.RetryOptions(5_000, 5);
    options.backoffCoefficient = 2;
    options.maxRetryIntervalInMilliseconds = 120_000;
    return options;
})();

/** Starting a rerun: tries after a throttled or unclear answer, and the backoff between them (doubling). */
export const START_TRIES = 4;
export const START_BACKOFF_SECONDS = 15;

/** Upper bound on polls of one run, whatever the deadline says. */
export const MAX_POLLS_PER_RUN = 500;
