import { z } from 'zod';

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
        HTTP_TIMEOUT_MS: intFrom(30000, 100),

        GEMINI_API_KEY: z.string().optional(),
        GEMINI_MODEL: z.string().default('gemini-2.5-flash'),
        GEMINI_BASE_URL: z.url().optional(),
        GEMINI_TIMEOUT_MS: intFrom(20000, 100),

        WEBPUBSUB_CONNECTION_STRING: z.string().optional(),
        WEBPUBSUB_ENDPOINT: z.url().optional(),
        WEBPUBSUB_HUB: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/).default('tickets'),

        MAX_AUTO_HEAL_ATTEMPTS: intFrom(3, 0),
        RETRY_BASE_DELAY_SECONDS: intFrom(60, 0),
        CAPACITY_RETRY_DELAY_SECONDS: intFrom(300, 0),
        POLL_INTERVAL_SECONDS: intFrom(30, 1),
        RUN_DEADLINE_MINUTES: intFrom(360, 1),
        PUBLIC_BASE_URL: z.url().optional(),
});

/** Every setting the app reads (local.settings.example.json and the Bicep app settings list exactly these). */
export const CONFIG_KEYS = Object.keys(ConfigObject.shape);

export const ConfigSchema = ConfigObject.refine((c) => c.STORAGE_CONNECTION_STRING || c.STORAGE_ACCOUNT_NAME, {
        message: 'set STORAGE_CONNECTION_STRING (local) or STORAGE_ACCOUNT_NAME (managed identity)',
        path: ['STORAGE_CONNECTION_STRING'],
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
