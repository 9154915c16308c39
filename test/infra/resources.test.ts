import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { blockFrom, declarations, entries, type Entry, literal, loadBicepFiles } from './bicep';

const files = loadBicepFiles();

/** The body of every resource of a type (`Microsoft.Storage/storageAccounts`), all files together. */
function resources(type: string): { file: string; name: string; body: string; props: Entry[] }[] {
    return files.flatMap((f) =>
        declarations(f)
            .filter((d) => d.kind === 'resource' && d.rest.startsWith(`'${type}@`) && !/\bexisting\b/.test(d.rest))
            .map((d) => {
                const body = blockFrom(f.code, d.at).text;
                return { file: f.rel, name: d.name, body, props: entries(body) };
            }),
    );
}

function one(type: string) {
    const found = resources(type);
    assert.equal(found.length, 1, `exactly one ${type}`);
    return found[0]!;
}

const get = (props: Entry[], path: string): string | undefined => {
    const [head, ...rest] = path.split('.');
    const value = props.find((e) => e.key === head)?.value;
    if (value === undefined || rest.length === 0) return value;
    return value.startsWith('{') ? get(entries(value), rest.join('.')) : undefined;
};

describe('deployed resources', () => {
    it('run the app on Flex Consumption, Node 22, with the one user-assigned identity', () => {
        const plan = one('Microsoft.Web/serverfarms');
        assert.equal(literal(get(plan.props, 'sku.name') ?? ''), 'FC1');
        assert.equal(literal(get(plan.props, 'sku.tier') ?? ''), 'FlexConsumption');
        const site = one('Microsoft.Web/sites');
        assert.equal(literal(get(site.props, 'identity.type') ?? ''), 'UserAssigned');
        assert.equal(literal(get(site.props, 'properties.functionAppConfig.runtime.name') ?? ''), 'node');
        assert.equal(literal(get(site.props, 'properties.functionAppConfig.runtime.version') ?? ''), '22');
        assert.equal(get(site.props, 'properties.keyVaultReferenceIdentity'), 'identity.id');
        assert.equal(literal(get(site.props, 'properties.functionAppConfig.deployment.storage.authentication.type') ?? ''), 'UserAssignedIdentity');
        assert.equal(resources('Microsoft.ManagedIdentity/userAssignedIdentities').length, 1);
    });

    it('disable shared keys on storage and local auth on Application Insights, Log Analytics and Web PubSub', () => {
        const storage = one('Microsoft.Storage/storageAccounts');
        assert.equal(get(storage.props, 'properties.allowSharedKeyAccess'), 'false');
        assert.equal(get(storage.props, 'properties.allowBlobPublicAccess'), 'false');
        assert.equal(get(one('Microsoft.Insights/components').props, 'properties.DisableLocalAuth'), 'true');
        assert.equal(get(one('Microsoft.OperationalInsights/workspaces').props, 'properties.features.disableLocalAuth'), 'true');
        assert.equal(get(one('Microsoft.SignalRService/webPubSub').props, 'properties.disableLocalAuth'), 'true');
        assert.equal(literal(get(one('Microsoft.SignalRService/webPubSub/hubs').props, 'properties.anonymousConnectPolicy') ?? ''), 'deny');
    });

    it('keep Key Vault in RBAC mode', () => {
        assert.equal(get(one('Microsoft.KeyVault/vaults').props, 'properties.enableRbacAuthorization'), 'true');
    });

    it('make audit blobs immutable per version (the app rewrites its audit documents) and tier them to cool', () => {
        assert.equal(get(one('Microsoft.Storage/storageAccounts/blobServices').props, 'properties.isVersioningEnabled'), 'true');
        const audit = resources('Microsoft.Storage/storageAccounts/blobServices/containers').find((c) => /immutableStorageWithVersioning/.test(c.body));
        assert.ok(audit, 'a container with version-level immutability');
        assert.equal(get(audit.props, 'name'), 'auditContainer');
        const policy = one('Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies');
        assert.equal(get(policy.props, 'parent'), audit.name);
        assert.equal(get(policy.props, 'properties.immutabilityPeriodSinceCreationInDays'), 'auditRetentionDays');
        const lifecycle = one('Microsoft.Storage/storageAccounts/managementPolicies').body;
        assert.match(lifecycle, /prefixMatch: \['\$\{auditContainer\}\/'\]/);
        assert.match(lifecycle, /baseBlob: \{ tierToCool: \{ daysAfterModificationGreaterThan: auditCoolAfterDays \} \}/);
        assert.match(lifecycle, /version: \{ tierToCool: \{ daysAfterCreationGreaterThan: auditCoolAfterDays \} \}/);
    });

    it('send each factory\'s pipeline and activity runs to the workspace in resource-specific tables', () => {
        const diag = one('Microsoft.Insights/diagnosticSettings');
        assert.equal(get(diag.props, 'scope'), 'factory');
        assert.equal(literal(get(diag.props, 'properties.logAnalyticsDestinationType') ?? ''), 'Dedicated');
        const logs = get(diag.props, 'properties.logs') ?? '';
        assert.match(logs, /category: 'PipelineRuns', enabled: true/);
        assert.match(logs, /category: 'ActivityRuns', enabled: true/);
    });

    it('alert on failed pipeline runs split by the dimensions intake reads, through a common-schema webhook', () => {
        const rule = one('Microsoft.Insights/scheduledQueryRules');
        assert.match(rule.body, /query: 'ADFPipelineRun \| where Status == "Failed"/);
        const dims = [...rule.body.matchAll(/\{ name: '(\w+)', operator: 'Include', values: \['\*'\] \}/g)].map((m) => m[1]);
        assert.deepEqual(dims, ['PipelineName', 'RunId', '_ResourceId']);
        const group = one('Microsoft.Insights/actionGroups');
        assert.match(group.body, /useCommonAlertSchema: true/);
        const receiver = entries(get(group.props, 'properties.webhookReceivers')!.slice(1, -1).trim());
        const uri = receiver.find((e) => e.key === 'serviceUri')?.value ?? '';
        // Plain webhook: the function key in the URL; secure webhook: the anonymous /secure receiver, token only.
        assert.match(uri, /^secureWebhook\s+\? 'https:\/\/\$\{site\.properties\.defaultHostName\}\/api\/alerts\/azure-monitor\/secure'/);
        assert.match(uri, /: 'https:\/\/\$\{site\.properties\.defaultHostName\}\/api\/alerts\/azure-monitor\?code=\$\{host\.listKeys\(\)\.functionKeys\.default\}'$/);
        assert.equal(receiver.find((e) => e.key === 'useAadAuth')?.value, 'secureWebhook');
        assert.equal(receiver.find((e) => e.key === 'useCommonAlertSchema')?.value, 'true');
    });
});
