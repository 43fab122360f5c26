import type { EnrichmentInput, EnrichmentProgress, EnrichmentResult, EnrichmentRuntimeStatus, EnrichmentStatus } from '../../ports.js';
import type { SqliteFile } from './database.js';

interface JobRow {
  id: string;
  created_at: string;
  status: EnrichmentRuntimeStatus;
  input: string;
  progress: string | null;
  result: string | null;
}

/**
 * The local host's enrichment jobs, kept in the store's SQLite file so a job's status, progress
 * and outcome outlive the process that ran it, as Durable Functions' task hub keeps them on Azure.
 */
export class SqliteEnrichmentJobs {
  constructor(private readonly file: SqliteFile) {}

  async create(id: string, input: EnrichmentInput, createdAt: string): Promise<void> {
    await this.file.write(() =>
      this.file
        .statement(`INSERT INTO enrichment_jobs (id, created_at, status, input) VALUES (?, ?, 'pending', ?)`)
        .run(id, createdAt, JSON.stringify(input)),
    );
  }

  async running(id: string, progress: EnrichmentProgress): Promise<void> {
    await this.file.write(() =>
      this.file.statement(`UPDATE enrichment_jobs SET status = 'running', progress = ? WHERE id = ?`).run(JSON.stringify(progress), id),
    );
  }

  async finished(id: string, status: 'completed' | 'failed', result: EnrichmentResult | null): Promise<void> {
    await this.file.write(() =>
      this.file.statement('UPDATE enrichment_jobs SET status = ?, result = ? WHERE id = ?').run(status, result && JSON.stringify(result), id),
    );
  }

  /** Marks every job still pending or running as failed: no process runs them any more. Returns their ids. */
  async failUnfinished(): Promise<string[]> {
    return this.file.write(() =>
      this.file
        .statement<[], { id: string }>(`UPDATE enrichment_jobs SET status = 'failed' WHERE status IN ('pending', 'running') RETURNING id`)
        .all()
        .map((row) => row.id),
    );
  }

  async get(id: string): Promise<EnrichmentStatus | null> {
    const row = this.file.statement<[string], JobRow>('SELECT * FROM enrichment_jobs WHERE id = ?').get(id);
    if (!row) return null;
    return {
      id: row.id,
      status: row.status,
      createdAt: row.created_at,
      progress: row.progress ? (JSON.parse(row.progress) as EnrichmentProgress) : null,
      result: row.result ? (JSON.parse(row.result) as EnrichmentResult) : null,
    };
  }
}
