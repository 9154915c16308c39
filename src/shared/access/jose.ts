// jose 6 is ESM-only; a dynamic import keeps this CommonJS module loadable (see devhost/webpubsub/auth.ts).
import type * as JoseModule from 'jose' with { 'resolution-mode': 'import' };

export type Jose = typeof JoseModule;

let jose: Promise<Jose> | undefined;

export function loadJose(): Promise<Jose> {
    jose ??= import('jose');
    return jose;
}
