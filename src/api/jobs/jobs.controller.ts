import { BadRequestException, Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import type { JobQueue, JobState } from '../../adapters/queue/job-queue.port.js';
import { QUEUE_NAMES } from '../../adapters/queue/queue-name.js';
import { JOB_QUEUE } from '../../app/tokens.js';
import { Ctx } from '../auth/ctx.decorator.js';
import { requireAdmin } from '../auth/policy.js';
import type { RequestContext } from '../auth/request-context.js';
import { jobsQuerySchema } from './jobs-query.schema.js';
import { jobView } from './job-view.js';

/**
 * Job and queue state, straight from BullMQ: what the sagas are doing now and what went wrong.
 * Admin only: jobs carry every project's servers and their errors.
 */
@Controller()
export class JobsController {
  constructor(@Inject(JOB_QUEUE) private readonly queue: JobQueue) {}

  @Get('jobs')
  async list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    requireAdmin(ctx, 'virtplane:jobs:index');
    const parsed = jobsQuerySchema.safeParse(query);
    if (!parsed.success) {
      throw new BadRequestException(parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
    }
    const { server_id, queue, state, limit } = parsed.data;
    const jobs = await this.queue.listJobs({ serverId: server_id, queue, states: state as JobState[] | undefined, limit });
    return { jobs: jobs.map(jobView) };
  }

  @Get('jobs/:id')
  async show(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    requireAdmin(ctx, 'virtplane:jobs:show');
    const job = await this.queue.getJob(id);
    if (!job) throw new NotFoundException(`Job ${id} could not be found.`);
    return { job: jobView(job) };
  }

  @Get('queues')
  async queues(@Ctx() ctx: RequestContext) {
    requireAdmin(ctx, 'virtplane:queues:index');
    const summary = await this.queue.summary();
    return { queues: QUEUE_NAMES.map((name) => ({ name, ...summary[name] })) };
  }
}
