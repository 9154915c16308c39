export { parseAzureMonitorAlert } from './azureMonitor';
export { parseDatabricksEvent, parseDatabricksJson } from './databricks';
export {
    alertIndexKeyFor,
    dedupKeyForAdf,
    dedupKeyForAlertWindow,
    dedupKeyForDatabricks,
    lookupIdFor,
    resolvedNoteIdFor,
    ticketIdFor,
} from './dedup';
export { adfSignal, DEFAULT_LOOKBACK_MINUTES } from './signals';
export type {
    DatabricksIntakeOptions,
    IntakeIssue,
    IntakeOptions,
    IntakeOutcome,
    ResolvedOutcome,
    RunLookupRequest,
    UnresolvedOutcome,
} from './types';
export { LIMITS } from './types';
