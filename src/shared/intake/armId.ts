export interface FactoryId {
    factoryResourceId: string;
    subscriptionId: string;
    resourceGroup: string;
    factoryName: string;
}

const FACTORY_ID =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.DataFactory\/factories\/([^/?#]+)/i;

/** Parses an ARM id of a factory (or of anything under it); keeps the caller's spelling. */
export function parseFactoryId(id: string | undefined): FactoryId | undefined {
    const m = id === undefined ? null : FACTORY_ID.exec(id.trim());
    if (!m || !m[1] || !m[2] || !m[3]) return undefined;
    return { factoryResourceId: m[0], subscriptionId: m[1], resourceGroup: m[2], factoryName: m[3] };
}

const SUBSCRIPTION = /^\/subscriptions\/([^/]+)/i;

export function subscriptionOf(id: string): string | undefined {
    return SUBSCRIPTION.exec(id.trim())?.[1];
}
