import type { AdfDemo } from './adf';
import { SAMPLE_WORKSPACE_ID } from './constants';
import type { DatabricksDemo } from './databricks';
import { JOBS } from './dbx-model';

/** The runs the README's sample alerts (test/fixtures/sample-alerts/) name. */
export const SAMPLE_ADF_PIPELINE = 'pl_ingest_sales_daily';
export const SAMPLE_ADF_RUN_ID = 'a3f5c9e2-1b7d-4e08-9c6a-52d0e8b1f7a4';
export const SAMPLE_DBX_JOB = 'nightly_orders_silver';
export const SAMPLE_DBX_RUN_ID = 771234567890123;
/** Task run ids of silver_orders and silver_order_lines, as in the sample's workspace. */
const SAMPLE_DBX_TASK_RUN_IDS = [771234567890124, 771234567890125];

const MINUTE = 60_000;

/**
 * Puts the failed runs the sample alerts name into a fresh demo, finished a few minutes before `now`, so posting a
 * sample shows a whole heal (a transient 2108 healed by a recovery rerun; a cloud failure healed by a repair).
 */
export function seedDemo(adf: AdfDemo, databricks: DatabricksDemo, now: number): void {
    adf.createFailedRun(SAMPLE_ADF_PIPELINE, {
        runId: SAMPLE_ADF_RUN_ID,
        createdMs: now - 6 * MINUTE,
        trigger: 'tr_daily_0200',
    });
    databricks.createRun(JOBS[SAMPLE_DBX_JOB]!, now - 8 * MINUTE, 'PERIODIC', SAMPLE_WORKSPACE_ID, {
        runId: SAMPLE_DBX_RUN_ID,
        taskRunIds: SAMPLE_DBX_TASK_RUN_IDS,
    });
}
