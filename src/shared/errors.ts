/** Errors an HTTP handler may throw; functions/http.ts maps each to its status. */
export class AppError extends Error {
    constructor(
        readonly status: number,
        message: string,
        readonly details?: Record<string, unknown>,
    ) {
        super(message);
    }
}
export class ValidationError extends AppError {
    constructor(message: string, issues?: { path: string; message: string }[]) {
        super(400, message, issues ? { issues } : undefined);
    }
}
export class AuthError extends AppError {
    constructor(message = 'authentication required') {
        super(401, message);
    }
}
/** Authenticated, but the caller's role does not allow this. */
export class ForbiddenError extends AppError {
    constructor(message: string) {
        super(403, message);
    }
}
/** The resource is not in a state that accepts the request (an action on a closed ticket, say). */
export class ConflictError extends AppError {
    constructor(message: string, details?: Record<string, unknown>) {
        super(409, message, details);
    }
}
export class NotFoundHttpError extends AppError {
    constructor(message: string) {
        super(404, message);
    }
}
/** Storage or a dependency is down: 503 makes Azure Monitor retry the delivery. */
export class UnavailableError extends AppError {
    constructor(message: string) {
        super(503, message);
    }
}

export function ensureError(value: unknown): Error {
    return value instanceof Error ? value : new Error(typeof value === 'string' ? value : JSON.stringify(value));
}
