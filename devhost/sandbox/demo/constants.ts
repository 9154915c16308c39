export const DEMO_SUBSCRIPTION = '00000000-0000-4000-8000-000000000001';
export const DEMO_RESOURCE_GROUP = 'rg-demo';
export const DEMO_FACTORY = 'adf-demo';
export const DEMO_FACTORY_ID =
    `/subscriptions/${DEMO_SUBSCRIPTION}/resourceGroups/${DEMO_RESOURCE_GROUP}` +
    `/providers/Microsoft.DataFactory/factories/${DEMO_FACTORY}`;
export const DEMO_WORKSPACE_ID = '1234567890123456';
export const DEMO_WORKSPACE_HOST = 'adb-1234567890123456.7.azuredatabricks.net';
export const DEMO_WORKSPACES: Record<string, string> = { [DEMO_WORKSPACE_ID]: DEMO_WORKSPACE_HOST };

/** Every simulated run is queued (or pending) for 5 s, then runs until 20 s after it was created. */
export const QUEUED_MS = 5_000;
export const RUN_MS = 20_000;

/** ADF writes times with seven fractional digits. */
export const adfTime = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '0000Z');
