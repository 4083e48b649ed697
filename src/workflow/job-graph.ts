import { Job } from './job';
import { PipelineWorkflow } from './pipeline-workflow';

/** An edge between jobs of different workflows, e.g. a release that starts publish.yml. */
export interface WorkflowLink {
  /** The job whose result starts the other workflow. */
  readonly from: Job;
  /** The first job of the workflow it starts. */
  readonly to: Job;
  /** What connects them, e.g. `release published`. */
  readonly label: string;
}

/** Draws pipelines' job graphs from their construct trees. */
export class JobGraph {
  /**
   * A mermaid flowchart of the workflows' jobs: one subgraph per workflow, an arrow per `needs`,
   * and a dotted arrow per link between workflows.
   */
  public static mermaid(workflows: PipelineWorkflow[], links: WorkflowLink[] = []): string {
    const ids = new Map<Job, string>();
    const lines = ['flowchart LR'];
    for (const wf of workflows) {
      const stem = wf.fileName.replace(/\.ya?ml$/, '').replace(/[^A-Za-z0-9]/g, '_');
      lines.push(`  subgraph ${stem}["${label(wf.fileName)}"]`);
      for (const job of wf.jobs) {
        const id = `${stem}__${job.jobId.replace(/[^A-Za-z0-9]/g, '_')}`;
        ids.set(job, id);
        lines.push(`    ${id}["${label(job.name)}"]`);
      }
      lines.push('  end');
    }
    for (const wf of workflows) {
      for (const job of wf.jobs) {
        for (const need of job.needs) lines.push(`  ${ids.get(need)} --> ${ids.get(job)}`);
      }
    }
    for (const link of links) {
      const from = ids.get(link.from);
      const to = ids.get(link.to);
      if (!from || !to) throw new Error('JobGraph.mermaid: a link names a job of a workflow that is not drawn.');
      lines.push(`  ${from} -. "${label(link.label)}" .-> ${to}`);
    }
    return lines.join('\n') + '\n';
  }

  private constructor() {}
}

function label(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/\$\{\{[^}]*\}\}/g, '…');
}
