import { DEMO_ADF, SAMPLE_ADF, type Factory } from './constants';

export interface ActivityDef {
    name: string;
    type: string;
}

export interface ActivityError {
    errorCode: string;
    message: string;
    failureType: string;
}

export interface PipelineDef {
    factory: Factory;
    activities: ActivityDef[];
    /** The activity that fails, and whether a recovery rerun gets past it. */
    failing: string;
    recoveryHeals: boolean;
    error(name: string, createdMs: number): ActivityError;
}

/** ADF's 2108 for an endpoint that closed the connection; the product classifies it as transient (network). */
const endpointUnreachable = (endpoint: string): ActivityError => ({
    errorCode: '2108',
    message:
        `Error calling the endpoint '${endpoint}'. Response status code: ` +
        "'NA - Unknown'. More details: Exception message: 'NA - Unknown [ClientSideException] the connection " +
        "was closed before a response was received.'. The request did not reach the server from the client.",
    failureType: 'UserError',
});

/** Pipelines by name; names are unique across the demo's factories. */
export const PIPELINES: Record<string, PipelineDef> = {
    pl_flaky_partner_api: {
        factory: DEMO_ADF,
        activities: [
            { name: 'Lookup_Watermark', type: 'Lookup' },
            { name: 'Web_Get_Partner_Token', type: 'WebActivity' },
            { name: 'Copy_Partner_Prices', type: 'Copy' },
        ],
        failing: 'Web_Get_Partner_Token',
        recoveryHeals: true,
        error: () => endpointUnreachable('https://partner-api.demo.example/v1/oauth/token'),
    },
    pl_copy_landing: {
        factory: DEMO_ADF,
        activities: [
            { name: 'Set_Load_Date', type: 'SetVariable' },
            { name: 'Copy_Landing_To_Bronze', type: 'Copy' },
            { name: 'Notify_Load_Done', type: 'WebActivity' },
        ],
        failing: 'Copy_Landing_To_Bronze',
        recoveryHeals: false,
        error: (_name, createdMs) => {
            const day = new Date(createdMs).toISOString().slice(0, 10).replace(/-/g, '/');
            return {
                errorCode: '2200',
                message:
                    "Failure happened on 'Source' side. ErrorCode=UserErrorSourceBlobNotExists," +
                    "'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException," +
                    'Message=The required blob is missing. ContainerName: landing, ' +
                    `path: landing/sales/${day}/orders.csv.,Source=Microsoft.DataTransfer.ClientLibrary,'`,
                failureType: 'UserError',
            };
        },
    },
    pl_ingest_sales_daily: {
        factory: SAMPLE_ADF,
        activities: [
            { name: 'Lookup_Sales_Watermark', type: 'Lookup' },
            { name: 'Web_Export_Pos_Sales', type: 'WebActivity' },
            { name: 'Copy_Sales_To_Bronze', type: 'Copy' },
        ],
        failing: 'Web_Export_Pos_Sales',
        recoveryHeals: true,
        error: () => endpointUnreachable('https://pos-export.sales.example/v2/exports/daily'),
    },
};

export const pipelinesOf = (factory: Factory): string[] =>
    Object.keys(PIPELINES).filter((name) => PIPELINES[name]!.factory === factory);
