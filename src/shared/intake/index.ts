export { parseAzureMonitorAlert } from './azureMonitor';
export { parseDatabricksEvent, parseDatabricksJson } from './databricks';
export { dedupKeyForAdf, dedupKeyForAlertWindow, dedupKeyForDatabricks, ticketIdFor } from './dedup';
export { DEFAULT_LOOKBACK_MINUTES } from './signals';
export type { DatabricksIntakeOptions, IntakeIssue, IntakeOptions, IntakeOutcome, UnresolvedOutcome } from './types';
