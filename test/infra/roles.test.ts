import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { blockFrom, declarations, entries, lineOf, loadBicepFiles } from './bicep';

/**
 * Azure built-in role definitions (ids are the same in every tenant), as published in Microsoft's built-in roles
 * reference. A role id in infra/ that is not listed here is either a typo or a role someone must review.
 */
const BUILT_IN_ROLES: Record<string, string> = {
    'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': 'Storage Blob Data Owner',
    'ba92f5b4-2d11-453d-a403-e96b0029c9fe': 'Storage Blob Data Contributor',
    '974c5e8b-45b9-4653-ba55-5f855dd0fb88': 'Storage Queue Data Contributor',
    '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3': 'Storage Table Data Contributor',
    '3913510d-42f4-4e42-8a64-420c390055eb': 'Monitoring Metrics Publisher',
    '12cf5a90-567b-43ae-8102-96cf46c7d9b4': 'Web PubSub Service Owner',
    '4633458b-17de-408a-b874-0445c86b69e6': 'Key Vault Secrets User',
    'b86a8fe4-44ce-4948-aee5-eccb2c155cd7': 'Key Vault Secrets Officer',
    '673868aa-7521-48a0-acc6-0f60742d39f5': 'Data Factory Contributor',
};

/** What the app needs, and so what the templates must grant. */
const REQUIRED = [
    'Storage Blob Data Owner',
    'Storage Queue Data Contributor',
    'Storage Table Data Contributor',
    'Monitoring Metrics Publisher',
    'Web PubSub Service Owner',
    'Key Vault Secrets User',
    'Data Factory Contributor',
];

const GUID = /'([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'/gi;
const files = loadBicepFiles();

interface RoleUse {
    where: string;
    id: string;
    comment: string;
}

function roleIds(): RoleUse[] {
    const uses: RoleUse[] = [];
    for (const f of files) {
        const lines = f.text.split('\n');
        for (const m of f.code.matchAll(GUID)) {
            const line = lineOf(f.code, m.index);
            const comment = /\/\/\s*(.+?)\s*$/.exec(lines[line - 1] ?? '')?.[1] ?? '';
            uses.push({ where: `${f.rel}:${line}`, id: m[1]!.toLowerCase(), comment });
        }
    }
    return uses;
}

const assignments = files.flatMap((f) =>
    declarations(f)
        .filter((d) => d.kind === 'resource' && d.rest.startsWith("'Microsoft.Authorization/roleAssignments@"))
        .map((d) => ({ file: f, decl: d, body: blockFrom(f.code, d.at) })),
);

describe('role assignments', () => {
    it('use only known built-in role ids, each with a comment naming the role', () => {
        const uses = roleIds();
        assert.ok(uses.length >= REQUIRED.length, 'the templates name their role ids');
        const wrong = uses
            .filter((u) => BUILT_IN_ROLES[u.id] === undefined || BUILT_IN_ROLES[u.id] !== u.comment)
            .map((u) => `${u.where}: ${u.id} commented "${u.comment}" (built-in: ${BUILT_IN_ROLES[u.id] ?? 'unknown'})`);
        assert.deepEqual(wrong, []);
    });

    it('grant every role the app needs', () => {
        const granted = new Set(roleIds().map((u) => BUILT_IN_ROLES[u.id]));
        assert.deepEqual(REQUIRED.filter((r) => !granted.has(r)), []);
    });

    it('are each scoped to a resource declared in the same file, never a resource group or subscription', () => {
        assert.ok(assignments.length > 0);
        const resources = new Map(files.map((f) => [f.rel, declarations(f).filter((d) => d.kind === 'resource').map((d) => d.name)]));
        const wrong: string[] = [];
        for (const { file, decl, body } of assignments) {
            const scope = entries(body.text).find((e) => e.key === 'scope')?.value ?? '(none)';
            const known = resources.get(file.rel) ?? [];
            if (!known.includes(scope) || scope === decl.name) wrong.push(`${file.rel} ${decl.name}: scope ${scope}`);
        }
        assert.deepEqual(wrong, []);
    });

    it('get deterministic names from the scope, the principal and the role, and state the principal type', () => {
        const wrong: string[] = [];
        for (const { file, decl, body } of assignments) {
            const props = entries(body.text);
            const scope = props.find((e) => e.key === 'scope')?.value ?? '';
            const name = props.find((e) => e.key === 'name')?.value ?? '';
            const inner = entries(props.find((e) => e.key === 'properties')?.value ?? '{}');
            const roleDef = inner.find((e) => e.key === 'roleDefinitionId')?.value ?? '';
            const ok =
                name.startsWith(`guid(${scope}.id, `) &&
                roleDef.startsWith("subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ") &&
                inner.some((e) => e.key === 'principalType') &&
                inner.some((e) => e.key === 'principalId');
            if (!ok) wrong.push(`${file.rel} ${decl.name}`);
        }
        assert.deepEqual(wrong, []);
    });

    it('give the app identity the data roles as a service principal', () => {
        const forIdentity = assignments.filter(({ body }) => /principalId:\s*identityPrincipalId\b/.test(body.text));
        assert.ok(forIdentity.length >= 5, `${forIdentity.length} assignments for the identity`);
        for (const { decl, body } of forIdentity) assert.match(body.text, /principalType:\s*'ServicePrincipal'/, decl.name);
    });
});
