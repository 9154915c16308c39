/** Every orchestrator and activity name, used both to register and to call. */
export const OrchestratorName = {
    remediate: 'remediate',
    resolveRuns: 'resolveRuns', annotateResolved: 'annotateResolved',
} as const;

export const ActivityName = {
    openTicket: 'openTicket',
    fetchFailure: 'fetchFailure',
    classifyFailure: 'classifyFailure',
    analyseFailure: 'analyseFailure',
    decideRemediation: 'decideRemediation',
    startRemediation: 'startRemediation',
    checkRun: 'checkRun',
    checkIntegrationRuntime: 'checkIntegrationRuntime',
    requestApproval: 'requestApproval',
    recordApproval: 'recordApproval',
    acquireRerunSlot: 'acquireRerunSlot',
    releaseRerunSlot: 'releaseRerunSlot',
    closeTicket: 'closeTicket',
    findFailedRuns: 'findFailedRuns', openRunTickets: 'openRunTickets', recordResolved: 'recordResolved',
} as const;
