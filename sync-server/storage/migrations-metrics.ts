// Migration 070 (service metrics at county scale): one covering index for the metric scan, with
// the columns a figure distinguishes (kind, returned, on time, rating, trips) right after the
// routing columns, so grouping by all of them follows the index order; the period's days come
// last. Two narrow ones give the weekly series its days in order. They replace cases_metrics of
// migration 030, which nothing reads any more.

import type { Kysely, Migration } from 'kysely'

type Db = Kysely<unknown>

export function metricsIndexMigration(): Migration {
  return {
    async up(db: Db) {
      await db.schema
        .createIndex('cases_metric_groups')
        .on('cases')
        .columns(['county', 'township', 'village', 'department', 'item_code', 'kind', 'returned', 'on_time', 'rating', 'trips', 'submitted_on', 'accepted_on', 'completed_on', 'work_days'])
        .execute()
      // The weekly series: intake by day and completions by day, read in day order over the period.
      await db.schema.createIndex('cases_metric_intake').on('cases').columns(['county', 'submitted_on', 'township', 'department']).execute()
      await db.schema.createIndex('cases_metric_done').on('cases').columns(['county', 'completed_on', 'township', 'department', 'on_time']).execute()
      await db.schema.dropIndex('cases_metrics').ifExists().execute()
    },
  }
}
