// What the page knows: tickets by id, their rows, the newest version seen of each, and the open detail.

export const state = {
    tickets: new Map(),
    rows: new Map(),
    // Newest (version, updatedAt) seen per ticket, filtered or not, so replays and duplicates never regress a row.
    latest: new Map(),
    continuationToken: undefined,
    listGeneration: 0,
    loadedOnce: false,
    everLive: false,
    // Server time up to which the page is known to be in sync (re-sync reads what changed after it).
    syncedAt: undefined,
    // Whether the last load or re-sync succeeded (so a live socket kept the page in sync until it dropped).
    inSync: false,
    counts: {},
    detail: null,
};

/** Whether `ticket` is older than what the page has seen: by version, else by updatedAt (a duplicate is not). */
export function isStale(ticket) {
    const seen = state.latest.get(ticket.id);
    if (!seen) return false;
    if (typeof ticket.version === 'number' && typeof seen.version === 'number') return ticket.version < seen.version;
    const incoming = Date.parse(ticket.updatedAt ?? '');
    const known = Date.parse(seen.updatedAt ?? '');
    return !Number.isNaN(incoming) && !Number.isNaN(known) && incoming < known;
}

export function remember(ticket) {
    state.latest.set(ticket.id, { version: ticket.version, updatedAt: ticket.updatedAt });
}
