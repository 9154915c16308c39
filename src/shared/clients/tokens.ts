import type { TokenCredential } from '@azure/identity';

export interface TokenProvider {
    getToken(): Promise<string>;
}

export function staticToken(token: string): TokenProvider {
    return { getToken: () => Promise.resolve(token) };
}

export interface CredentialTokenOptions {
    /** Refresh this long before expiry (default 5 minutes). */
    refreshMarginMs?: number;
    now?: () => number;
}

/** A token from an Azure credential, cached until shortly before it expires; concurrent callers share one fetch. */
export function credentialToken(
    credential: TokenCredential,
    scope: string,
    opts: CredentialTokenOptions = {},
): TokenProvider {
    const margin = opts.refreshMarginMs ?? 5 * 60_000;
    const now = opts.now ?? Date.now;
    let cached: { token: string; refreshAt: number } | undefined;
    let pending: Promise<string> | undefined;

    const fetchToken = async (): Promise<string> => {
        try {
            const token = await credential.getToken(scope);
            if (!token) throw new Error(`credential returned no token for scope ${scope}`);
            const refreshAt = Math.min(token.expiresOnTimestamp - margin, token.refreshAfterTimestamp ?? Infinity);
            cached = { token: token.token, refreshAt };
            return token.token;
        } finally {
            pending = undefined;
        }
    };

    return {
        getToken() {
            if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
            pending ??= fetchToken();
            return pending;
        },
    };
}
