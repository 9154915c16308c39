import * as df from 'durable-functions';

/** Our own HTTP calls and storage writes: transient failures are retried by the durable runtime. */
export const activityRetry = (() => {
    const options = new df.RetryOptions(5_000, 5);
    options.backoffCoefficient = 2;
    options.maxRetryIntervalInMilliseconds = 120_000;
    return options;
})();

/** Starting a rerun: the activity checks for an existing rerun before creating one, so retrying it is safe. */
export const startRetry = (() => {
    const options = new df.RetryOptions(15_000, 4);
    options.backoffCoefficient = 2;
    options.maxRetryIntervalInMilliseconds = 300_000;
    return options;
})();

/** Upper bound on polls of one run, whatever the deadline says. */
export const MAX_POLLS_PER_RUN = 500;
