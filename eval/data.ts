import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

import { ErrorClassSchema, RunErrorSchema, SourceSchema } from '../src/shared/domain';

/** One real-world failure (codes and fields as the services report them, messages paraphrased) and its label. */
export const CorpusEntrySchema = z.object({
    id: z.string(),
    source: SourceSchema,
    /** Where this failure is documented or reported publicly. */
    origin: z.string(),
    errors: z.array(RunErrorSchema).min(1),
    runMessage: z.string().optional(),
    label: z.object({
        /** The true class of the failure. */
        class: ErrorClassSchema,
        /** Whether an automatic rerun is the right response (maybe after a precondition: an IR back online). */
        rerun: z.boolean(),
    }),
});
export type CorpusEntry = z.infer<typeof CorpusEntrySchema>;

/** A recorded Gemini reply: the candidate's text, how it finished, a prompt block, and its token counts. */
export const RecordedReplySchema = z.object({
    text: z.string().optional(),
    finishReason: z.string().optional(),
    blockReason: z.string().optional(),
    usage: z.object({ prompt: z.number().int(), output: z.number().int() }),
});
export type RecordedReply = z.infer<typeof RecordedReplySchema>;

const Replies = z.array(RecordedReplySchema);
const PersonaSchema = z.union([
    z.object({ byEntry: z.record(z.string(), Replies) }),
    z.object({ all: Replies }),
    z.object({ cycle: z.array(Replies).min(1) }),
]);
export type Persona = z.infer<typeof PersonaSchema>;

const RepliesFileSchema = z.object({ about: z.string(), personas: z.record(z.string(), PersonaSchema) });

const DIR = __dirname;

export function loadCorpus(): CorpusEntry[] {
    const entries = z.array(CorpusEntrySchema).parse(JSON.parse(readFileSync(join(DIR, 'corpus.json'), 'utf8')));
    const ids = new Set(entries.map((e) => e.id));
    if (ids.size !== entries.length) throw new Error('corpus.json: duplicate ids');
    return entries;
}

export function loadPersonas(): Record<string, Persona> {
    return RepliesFileSchema.parse(JSON.parse(readFileSync(join(DIR, 'replies.json'), 'utf8'))).personas;
}

/** The replies a persona gives for the n-th entry of the corpus (each retry takes the next one). */
export function repliesFor(persona: Persona, entry: CorpusEntry, n: number): RecordedReply[] {
    if ('byEntry' in persona) {
        const replies = persona.byEntry[entry.id];
        if (!replies) throw new Error(`replies.json: no reply recorded for ${entry.id}`);
        return replies;
    }
    if ('all' in persona) return persona.all;
    return persona.cycle[n % persona.cycle.length]!;
}
