export interface Factory {
    subscription: string;
    resourceGroup: string;
    name: string;
    /** The ARM resource id, cased as the portal shows it. */
    id: string;
}

const factory = (subscription: string, resourceGroup: string, name: string): Factory => ({
    subscription,
    resourceGroup,
    name,
    id:
        `/subscriptions/${subscription}/resourceGroups/${resourceGroup}` +
        `/providers/Microsoft.DataFactory/factories/${name}`,
});

export const DEMO_SUBSCRIPTION = '00000000-0000-4000-8000-000000000001';
export const DEMO_ADF = factory(DEMO_SUBSCRIPTION, 'rg-demo', 'adf-demo');
export const DEMO_FACTORY_ID = DEMO_ADF.id;
/** The factory the README's sample Log Alerts V2 body (test/fixtures/sample-alerts/adf-log-alert.json) names. */
export const SAMPLE_ADF = factory('8c2f4e1a-5b7d-4c3e-9a16-3f0b2d4e6a71', 'rg-analytics-prd', 'adf-lakehouse-prd');
export const SAMPLE_FACTORY_ID = SAMPLE_ADF.id;
export const FACTORIES: readonly Factory[] = [DEMO_ADF, SAMPLE_ADF];

export const DEMO_WORKSPACE_ID = '1234567890123456';
export const DEMO_WORKSPACE_HOST = 'adb-1234567890123456.7.azuredatabricks.net';
/** The workspace the README's sample jobs.on_failure body (test/fixtures/sample-alerts) names. */
export const SAMPLE_WORKSPACE_ID = '5550001112223334';
export const SAMPLE_WORKSPACE_HOST = 'adb-5550001112223334.4.azuredatabricks.net';
export const DEMO_WORKSPACES: Record<string, string> = {
    [DEMO_WORKSPACE_ID]: DEMO_WORKSPACE_HOST,
    [SAMPLE_WORKSPACE_ID]: SAMPLE_WORKSPACE_HOST,
};

/** Every simulated run is queued (or pending) for 5 s, then runs until 20 s after it was created. */
export const QUEUED_MS = 5_000;
export const RUN_MS = 20_000;

/** ADF writes times with seven fractional digits. */
export const adfTime = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '0000Z');
