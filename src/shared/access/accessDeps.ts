import { TableClient } from '@azure/data-tables';
import { DefaultAzureCredential } from '@azure/identity';

import { type Config, getConfig } from '../config';
import { Authenticator } from './authenticator';
import { EntraTokens, entraSettings } from './entraTokens';
import { LocalTokens } from './localTokens';
import { UserStore } from './userStore';

export interface Access {
    users: UserStore;
    auth: Authenticator;
    /** Undefined when AUTH_TOKEN_SECRET is not set: local sign-in is off. */
    tokens?: LocalTokens;
    emailDomains: readonly string[];
    now: () => Date;
}

function usersTable(config: Config): TableClient {
    if (config.STORAGE_CONNECTION_STRING) {
        return TableClient.fromConnectionString(config.STORAGE_CONNECTION_STRING, config.USERS_TABLE, { allowInsecureConnection: true });
    }
    const url = `https://${config.STORAGE_ACCOUNT_NAME!}.table.core.windows.net`;
    return new TableClient(url, config.USERS_TABLE, new DefaultAzureCredential());
}

/** Accounts, tokens and the authenticator, from the validated configuration. */
export function buildAccess(config: Config, users = new UserStore(usersTable(config))): Access {
    const tokens = config.AUTH_TOKEN_SECRET ? new LocalTokens(config.AUTH_TOKEN_SECRET, config.AUTH_TOKEN_MINUTES) : undefined;
    const entra = entraSettings(config);
    return {
        users,
        tokens,
        auth: new Authenticator({ local: tokens, entra: entra ? new EntraTokens(entra) : undefined, scrapeKey: config.METRICS_SCRAPE_KEY }),
        emailDomains: config.AUTH_EMAIL_DOMAINS,
        now: () => new Date(),
    };
}

let access: Access | undefined;

/** The process-wide access dependencies, built on first use. */
export function getAccess(): Access {
    access ??= buildAccess(getConfig());
    return access;
}
