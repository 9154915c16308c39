import type { Analysis, Classification, ErrorClass, FailureDetails, RunError } from './domain';

const ACTIONS: Record<ErrorClass, string> = {
    transient:
        'Rerun from the failed activity or task after a backoff; if it keeps failing, check the health of the called service.',
    capacity:
        'Retry once after a delay; if capacity is still short, change the VM size, zone or pool, or lower the concurrency.',
    infrastructure:
        'Bring the integration runtime or the underlying infrastructure back online, then rerun from the failure.',
    configuration: 'Fix the linked service, activity or job settings (URL, library version, limits), then rerun.',
    data: 'Check that the upstream data exists and matches the expected schema, then rerun once it is there.',
    code: 'Fix the job or notebook code, then repair the run.',
    permission: 'Restore the credential or role assignment (rotate the token, grant access), then rerun.',
    unknown: 'Investigate the run output; no rule recognises this error, so no automatic remediation is made.',
};

function mainError(c: Classification, details: FailureDetails): RunError | undefined {
    return (
        details.errors.find((e) => c.errorCode !== undefined && e.code === c.errorCode) ??
        details.errors.find((e) => e.scope !== 'run') ??
        details.errors[0]
    );
}

function excerpt(text: string, max = 300): string {
    const flat = text.replace(/\s+/g, ' ').trim();
    return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function actionFor(c: Classification): string {
    const { container, path, integrationRuntime, package: pkg } = c.extracted;
    if (c.errorClass === 'data' && (container || path)) {
        return `Check that ${[container && `container '${container}'`, path && `path '${path}'`].filter(Boolean).join(', ')} exists (late upstream delivery?), then rerun.`;
    }
    if (integrationRuntime)
        return `Bring integration runtime '${integrationRuntime}' back Online, then rerun from the failure.`;
    if (pkg) return `Fix the library '${pkg}' in the job definition (version not published?), then repair the run.`;
    return ACTIONS[c.errorClass];
}

/** The deterministic analysis used when the model is not configured or fails. */
export function rulesAnalysis(classification: Classification, details: FailureDetails): Analysis {
    const error = mainError(classification, details);
    const message = error?.message || details.runMessage || '';
    const code = classification.errorCode ?? error?.code;
    const where = error ? `${error.scope} ${error.name}` : 'run';
    const rootCause = message
        ? `${code ? `Error ${code} on ` : 'Failure on '}${where}: ${excerpt(message)}`
        : classification.reason;
    const confidence = classification.ruleId === 'none' ? 0.3 : classification.retryable === null ? 0.5 : 1;
    return {
        root_cause: rootCause || 'No error details were available.',
        category: classification.errorClass,
        auto_heal_possible: classification.retryable === true,
        recommended_action: actionFor(classification),
        confidence,
    };
}
