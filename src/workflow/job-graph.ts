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

  /**
   * The longest chain of `needs` in a workflow, first job first: the jobs a run waits for one
   * after another, so its length is the number of jobs on the critical path. Of chains of equal
   * length, the one through the jobs added first.
   */
  public static criticalPath(workflow: PipelineWorkflow): Job[] {
    const jobs = workflow.jobs;
    const longest = new Map<Job, Job[]>();
    const visiting = new Set<Job>();
    const chainTo = (job: Job): Job[] => {
      const known = longest.get(job);
      if (known) return known;
      if (visiting.has(job)) throw new Error(`JobGraph.criticalPath: ${workflow.fileName} has a needs cycle through job "${job.jobId}".`);
      visiting.add(job);
      let before: Job[] = [];
      for (const need of job.needs) {
        const chain = chainTo(need);
        if (chain.length > before.length) before = chain;
      }
      visiting.delete(job);
      const chain = [...before, job];
      longest.set(job, chain);
      return chain;
    };
    let path: Job[] = [];
    for (const job of jobs) {
      const chain = chainTo(job);
      if (chain.length > path.length) path = chain;
    }
    return path;
  }

  private constructor() {}
}

function label(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/\$\{\{[^}]*\}\}/g, '…');
}
