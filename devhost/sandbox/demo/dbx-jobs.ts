export interface TaskDef {
    key: string;
    dependsOn: string[];
    notebook: string;
}

export interface JobDef {
    jobId: number;
    name: string;
    tasks: TaskDef[];
}

/** Jobs by name; every demo workspace has them, with the same ids. */
export const JOBS: Record<string, JobDef> = {
    nightly_orders_silver: {
        jobId: 441122334455667,
        name: 'nightly_orders_silver',
        tasks: [
            { key: 'silver_orders', dependsOn: [], notebook: '/Repos/etl/silver/silver_orders' },
            {
                key: 'silver_order_lines',
                dependsOn: ['silver_orders'],
                notebook: '/Repos/etl/silver/silver_order_lines',
            },
        ],
    },
};

export const CLOUD_FAILURE_MESSAGE =
    'Cluster 0101-000000-demo0001 could not be started: the cloud provider reported insufficient capacity for ' +
    'the requested VM size in this region (CLOUD_PROVIDER_LAUNCH_FAILURE). Try again later.';
