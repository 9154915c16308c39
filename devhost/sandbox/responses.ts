import type { Answer, Service } from './types';

export const armError = (status: number, code: string, message: string): Answer => ({
    status,
    body: { error: { code, message } },
});

export const dbxError = (status: number, errorCode: string, message: string): Answer => ({
    status,
    body: { error_code: errorCode, message },
});

const GOOGLE_STATUS: Record<number, string> = {
    400: 'INVALID_ARGUMENT',
    403: 'PERMISSION_DENIED',
    404: 'NOT_FOUND',
    429: 'RESOURCE_EXHAUSTED',
    500: 'INTERNAL',
    503: 'UNAVAILABLE',
    504: 'DEADLINE_EXCEEDED',
};

export function googleError(status: number, message: string, retryAfterSeconds?: number): Answer {
    const details =
        retryAfterSeconds === undefined
            ? undefined
            : [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfterSeconds}s` }];
    return {
        status,
        body: {
            error: { code: status, message, status: GOOGLE_STATUS[status] ?? 'UNKNOWN', ...(details && { details }) },
        },
    };
}

const ARM_CODE: Record<number, string> = {
    400: 'BadRequest',
    401: 'AuthenticationFailed',
    403: 'AuthorizationFailed',
    404: 'NotFound',
    409: 'Conflict',
    429: 'TooManyRequests',
    500: 'InternalServerError',
    502: 'BadGateway',
    503: 'ServiceUnavailable',
    504: 'GatewayTimeout',
};

const DBX_CODE: Record<number, string> = {
    400: 'INVALID_PARAMETER_VALUE',
    401: 'UNAUTHENTICATED',
    403: 'PERMISSION_DENIED',
    404: 'RESOURCE_DOES_NOT_EXIST',
    429: 'REQUEST_LIMIT_EXCEEDED',
    500: 'INTERNAL_ERROR',
    503: 'TEMPORARILY_UNAVAILABLE',
};

/** An error answer in the service's own error shape (used for injected faults). */
export function serviceError(service: Service, status: number, message: string, retryAfterSeconds?: number): Answer {
    const answer =
        service === 'adf'
            ? armError(status, ARM_CODE[status] ?? 'InternalServerError', message)
            : service === 'databricks'
              ? dbxError(status, DBX_CODE[status] ?? 'INTERNAL_ERROR', message)
              : googleError(status, message, retryAfterSeconds);
    if (retryAfterSeconds !== undefined) answer.headers = { 'Retry-After': String(retryAfterSeconds) };
    return answer;
}

/** Rejects calls without the credential header each real service requires. */
export function checkAuth(
    service: Service,
    headers: Record<string, string | string[] | undefined>,
    query: URLSearchParams,
): Answer | null {
    if (service === 'gemini') {
        if (headers['x-goog-api-key'] || query.get('key')) return null;
        return googleError(403, "Method doesn't allow unregistered callers. Please use an API key.");
    }
    const auth = headers['authorization'];
    if (typeof auth === 'string' && /^Bearer\s+\S+/i.test(auth)) return null;
    return service === 'adf'
        ? armError(
              401,
              'AuthenticationFailed',
              "Authentication failed. The 'Authorization' header is missing or malformed.",
          )
        : dbxError(401, 'UNAUTHENTICATED', 'Credential was not sent or was of an unsupported type for this API.');
}

export const DEFAULT_ANALYSIS = {
    root_cause: 'No scripted analysis for this failure; the sandbox model returned a neutral answer.',
    category: 'unknown',
    auto_heal_possible: false,
    recommended_action: 'Review the failed run and its error message before rerunning.',
    confidence: 0.3,
} as const;

/** A generateContent response whose text is the given JSON value. */
export function geminiTextResponse(model: string, value: unknown): Answer {
    const text = JSON.stringify(value);
    return {
        status: 200,
        body: {
            candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
            usageMetadata: { promptTokenCount: 1200, candidatesTokenCount: 60, totalTokenCount: 1260 },
            modelVersion: model,
            responseId: 'sandbox-' + model.replace(/[^a-z0-9]/gi, ''),
        },
    };
}

export function geminiModelOf(path: string): string | undefined {
    return /\/models\/([^/:]+):generateContent$/.exec(path)?.[1];
}

/** The scenario runner's default answers for calls that a case does not script. */
export function defaultAnswer(service: Service, method: string, path: string, query: URLSearchParams): Answer {
    const post = method.toUpperCase() === 'POST';
    const get = method.toUpperCase() === 'GET';
    if (service === 'gemini') {
        const model = geminiModelOf(path);
        return post && model
            ? geminiTextResponse(model, DEFAULT_ANALYSIS)
            : googleError(404, `No route for ${method} ${path} in the sandbox.`);
    }
    if (service === 'adf') {
        if (post && /\/(queryPipelineRuns|queryActivityruns)$/i.test(path)) {
            return { status: 200, body: { value: [], continuationToken: null } };
        }
        if (get && /\/pipelineruns\/[^/]+$/i.test(path)) {
            return armError(404, 'PipelineRunNotFound', `Pipeline run '${path.split('/').pop()}' was not found.`);
        }
        if (post && /\/createRun$/i.test(path)) {
            return armError(500, 'InternalServerError', 'The sandbox has no scripted answer for createRun.');
        }
        return armError(404, 'NotFound', `No scripted answer for ${method} ${path}.`);
    }
    const op = path.replace(/^\/api\/2\.[12]\//, '');
    if (get && (op === 'jobs/runs/get' || op === 'jobs/runs/get-output')) {
        return dbxError(404, 'RESOURCE_DOES_NOT_EXIST', `Run ${query.get('run_id') ?? ''} does not exist.`);
    }
    if (post && op === 'jobs/runs/repair') {
        return dbxError(500, 'INTERNAL_ERROR', 'The sandbox has no scripted answer for runs/repair.');
    }
    return dbxError(404, 'ENDPOINT_NOT_FOUND', `No scripted answer for ${method} ${path}.`);
}
