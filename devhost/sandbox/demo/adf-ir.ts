import { armError } from '../responses';
import type { Answer } from '../types';
import { adfTime, type Factory } from './constants';

/** getStatus of the integration runtimes every demo factory has; both are healthy. */
export function integrationRuntimeStatus(factory: Factory, name: string, now: number): Answer {
    if (name === 'AutoResolveIntegrationRuntime') {
        return {
            status: 200,
            body: {
                name,
                properties: {
                    type: 'Managed',
                    dataFactoryName: factory.name,
                    state: 'Online',
                    typeProperties: { computeProperties: { location: 'AutoResolve', dataFlowProperties: {} } },
                },
            },
        };
    }
    if (name === 'ir-demo-shir') {
        const node = {
            nodeName: 'DEMONODE01',
            machineName: 'DEMONODE01',
            status: 'Online',
            versionStatus: 'UpToDate',
            version: '5.48.9076.1',
            lastConnectTime: adfTime(now - 30_000),
            concurrentJobsLimit: 8,
            maxConcurrentJobs: 8,
            isActiveDispatcher: true,
        };
        return {
            status: 200,
            body: {
                name,
                properties: {
                    type: 'SelfHosted',
                    dataFactoryName: factory.name,
                    state: 'Online',
                    typeProperties: { version: '5.48.9076.1', nodes: [node], autoUpdate: 'On' },
                },
            },
        };
    }
    return armError(
        404,
        'IntegrationRuntimeNotFound',
        `Integration runtime '${name}' was not found in factory '${factory.name}'.`,
    );
}
