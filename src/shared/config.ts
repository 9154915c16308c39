import { z } from 'zod';

import { errorClassList, maintenanceWindows, pipelineOverrides } from './pipelinePolicy';

import { emailDomains, ownershipRules, slaMinutes } from './views/settings';

const intFrom = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

/** `id=url,id=url` → map of Databricks workspace id to workspace URL. */
const workspaceMap = z
    .string()
    .default('')
    .transform((value, ctx) => {
        const map: Record<string, string> = {};
        for (const pair of value.split(',').map((p) => p.trim()).filter(Boolean)) {
            const eq = pair.indexOf('=');
            const id = pair.slice(0, eq).trim();
            const url = pair.slice(eq + 1).trim().replace(/\/+$/, '');
            if (eq <= 0 || !/^\d+$/.test(id) || !/^https?:\/\//.test(url)) {
                ctx.addIssue({ code: 'custom', message: `expected "workspaceId=https://host" pairs, got "${pair}"` });
                return z.NEVER;
            }
            map[id] = url;
        }
        return map;
    });

const ConfigObject = z.object({
        STORAGE_CONNECTION_STRING: z.string().optional(),
        STORAGE_ACCOUNT_NAME: z.string().optional(),
        TICKETS_TABLE: z.string().regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/).default('tickets'),
        AUDIT_TABLE: z.string().regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/).default('audit'),
        ALERTS_TABLE: z.string().regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/).default('alerts'),
        AUDIT_CONTAINER: z.string().regex(/^[a-z0-9-]{3,63}$/).default('audit-logs'),

        ARM_ENDPOINT: z.url().default('https://management.azure.com'),
        ARM_ACCESS_TOKEN: z.string().optional(),
        DATABRICKS_WORKSPACES: workspaceMap,
        DATABRICKS_TOKEN: z.string().optional(),
        DATABRICKS_WEBHOOK_USER: z.string().min(1).regex(/^[^:]+$/, 'no colon in a basic auth user').default('autoheal'),
        DATABRICKS_WEBHOOK_SECRET: z.string().min(16, 'use at least 16 characters').optional(),
        SECURE_WEBHOOK_TENANT_ID: z.string().regex(/^[A-Za-z0-9.-]+$/).optional(),
        SECURE_WEBHOOK_AUDIENCE: z.string().optional(),
        SECURE_WEBHOOK_ROLE: z.string().min(1).default('ActionGroupsSecureWebhook'),
        SECURE_WEBHOOK_JWKS_URL: z.url().optional(),
        HTTP_TIMEOUT_MS: intFrom(30000, 100),

        GEMINI_API_KEY: z.string().optional(),
        GEMINI_MODEL: z.string().default('gemini-2.5-flash'),
        GEMINI_BASE_URL: z.url().optional(),
        GEMINI_TIMEOUT_MS: intFrom(20000, 100),
        LLM_ERROR_TEXT_CHARS: intFrom(4000, 200),
        OLLAMA_URL: z.url().optional(),
        OLLAMA_MODEL: z.string().default('llama3.1:8b'),
        OLLAMA_TIMEOUT_MS: intFrom(60000, 100),
        ANALYSIS_CACHE_TABLE: z.string().regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/).default('analysiscache'),
        ANALYSIS_CACHE_TTL_MINUTES: intFrom(1440, 0),

        WEBPUBSUB_CONNECTION_STRING: z.string().optional(),
        WEBPUBSUB_ENDPOINT: z.url().optional(),
        WEBPUBSUB_HUB: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/).default('tickets'),

        MAX_AUTO_HEAL_ATTEMPTS: intFrom(3, 0),
        RETRY_BASE_DELAY_SECONDS: intFrom(60, 0),
        CAPACITY_RETRY_DELAY_SECONDS: intFrom(300, 0),
        CAPACITY_MAX_ATTEMPTS: intFrom(1, 0),
        INTEGRATION_RUNTIME_WAIT_MINUTES: intFrom(120, 1),
        MAX_UPSTREAM_WAIT_HOURS: intFrom(24, 0),
        PIPELINE_OVERRIDES: pipelineOverrides,
        MAINTENANCE_WINDOWS: maintenanceWindows,
        APPROVAL_REQUIRED_CLASSES: errorClassList,
        APPROVAL_TIMEOUT_MINUTES: intFrom(60, 1),
        APPROVAL_DEFAULT: z.enum(['approve', 'reject']).default('reject'),
        DRY_RUN: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
        BREAKER_FAILURES: intFrom(3, 1),
        BREAKER_WINDOW_MINUTES: intFrom(60, 1),
        BREAKER_COOLDOWN_MINUTES: intFrom(60, 1),
        MAX_CONCURRENT_RERUNS: intFrom(20, 1),
        CONTROL_TABLE: z.string().regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/).default('control'),
        POLL_INTERVAL_SECONDS: intFrom(60, 1),
        RUN_DEADLINE_MINUTES: intFrom(360, 1),
        PUBLIC_BASE_URL: z.url().optional(),

        USERS_TABLE: z.string().regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/).default('users'),
        AUTH_TOKEN_SECRET: z.string().min(32, 'use at least 32 characters').optional(),
        AUTH_TOKEN_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
        AUTH_EMAIL_DOMAINS: emailDomains,
        ENTRA_TENANT_ID: z.string().regex(/^[A-Za-z0-9.-]+$/).optional(),
        ENTRA_AUDIENCE: z.string().optional(),
        ENTRA_ISSUER: z.url().optional(),
        ENTRA_JWKS_URL: z.url().optional(),
        LOCAL_ADMIN_EMAIL: z.email().default('admin@autoheal.local'),
        LOCAL_ADMIN_PASSWORD: z.string().min(12, 'use at least 12 characters').optional(),
        METRICS_SCRAPE_KEY: z.string().min(16, 'use at least 16 characters').optional(),
        OWNERSHIP_RULES: ownershipRules,
        SLA_MINUTES: slaMinutes,
});

/** Every setting the app reads (local.settings.example.json and the Bicep app settings list exactly these). */
export const CONFIG_KEYS = Object.keys(ConfigObject.shape);

export const ConfigSchema = ConfigObject.refine((c) => c.STORAGE_CONNECTION_STRING || c.STORAGE_ACCOUNT_NAME, {
        message: 'set STORAGE_CONNECTION_STRING (local) or STORAGE_ACCOUNT_NAME (managed identity)',
        path: ['STORAGE_CONNECTION_STRING'],
    })
    .refine((c) => !c.ENTRA_AUDIENCE || c.ENTRA_TENANT_ID || (c.ENTRA_ISSUER && c.ENTRA_JWKS_URL), {
        message: 'with ENTRA_AUDIENCE, set ENTRA_TENANT_ID (or both ENTRA_ISSUER and ENTRA_JWKS_URL)',
        path: ['ENTRA_AUDIENCE'],
    });

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Parses the settings; throws a ConfigError naming every bad key. Pure: pass the environment in. */
export function loadConfig(env: Record<string, string | undefined>): Config {
    const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
    const parsed = ConfigSchema.safeParse(cleaned);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
        throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
    }
    return parsed.data;
}

let cached: Config | undefined;

/** The process configuration, parsed once. */
export function getConfig(): Config {
    cached ??= loadConfig(process.env);
    return cached;
}

/** For the devhost and tests, which set the environment before the app loads. */
export function resetConfig(): void {
    cached = undefined;
}
