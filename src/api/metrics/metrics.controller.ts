import { Controller, Get, Header } from '@nestjs/common';
import { ProjectionRunner } from '../../projections/projection-runner.js';
import { Public } from '../auth/public.decorator.js';
import { Metrics } from './metrics.js';

/** Scraped without a token, as Prometheus does; keep /metrics off the public network. */
@Public()
@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly projections: ProjectionRunner,
  ) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    // Lag is read at scrape time rather than kept current on every append.
    for (const [projection, events] of Object.entries(await this.projections.lag())) {
      this.metrics.projectionLag.set({ projection }, events);
    }
    return this.metrics.registry.metrics();
  }
}
