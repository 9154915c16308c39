/** Every orchestrator and activity name, used both to register and to call. */
export const OrchestratorName = {
    remediate: 'remediate',
} as const;

export const ActivityName = {
    openTicket: 'openTicket',
    fetchFailure: 'fetchFailure',
    classifyFailure: 'classifyFailure',
    analyseFailure: 'analyseFailure',
    decideRemediation: 'decideRemediation',
    startRemediation: 'startRemediation',
    checkRun: 'checkRun',
    closeTicket: 'closeTicket',
} as const;
