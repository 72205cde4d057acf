import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { listPorts, getPort } from '../../../projections/networking/networking.queries.js';
import { Ctx } from '../../auth/ctx.decorator.js';
import { requireWriter } from '../../auth/policy.js';
import type { RequestContext } from '../../auth/request-context.js';
import { NewResourceId, type NewResourceIdValue } from '../../idempotency/new-resource-id.decorator.js';
import { NoReplyBody } from '../../idempotency/no-reply-body.decorator.js';
import { ComputeWrites } from '../compute-writes.js';
import type { Microversion } from '../microversion.js';
import { ApiVersion, RequestId } from '../request-state.js';
import { assertNotLocked } from '../server-lock.js';
import { parseBody } from '../../validation/parse-request.js';
import { interfaceAttachmentJson } from './interface-attachment-json.js';
import { attachInterfaceSchema } from './interface-attachment.schema.js';
import { InterfaceAttachments, attachRequestOf } from './interface-attachments.js';

/** Nova's os-interface: a server's ports, attach (AttachNic) and detach (DetachNic). */
@Controller('compute/v2.1/servers/:id/os-interface')
export class OsInterfaceController {
  constructor(
    private readonly compute: ComputeWrites,
    private readonly attachments: InterfaceAttachments,
  ) {}

  @Get()
  async list(@Ctx() ctx: RequestContext, @ApiVersion() version: Microversion, @Param('id') id: string) {
    const server = await this.compute.visibleServer(ctx, id);
    const ports = await listPorts(this.compute.db, { deviceId: server.id });
    return { interfaceAttachments: ports.map((p) => interfaceAttachmentJson(p, version)) };
  }

  @Get(':portId')
  async show(@Ctx() ctx: RequestContext, @ApiVersion() version: Microversion, @Param('id') id: string, @Param('portId') portId: string) {
    const server = await this.compute.visibleServer(ctx, id);
    const port = await getPort(this.compute.db, portId);
    if (!port || port.deviceId !== server.id) throw new NotFoundException(`Instance ${server.id} does not have a port with id ${portId}`);
    return { interfaceAttachment: interfaceAttachmentJson(port, version) };
  }

  @Post()
  @HttpCode(200)
  async attach(
    @Ctx() ctx: RequestContext,
    @RequestId() requestId: string,
    @ApiVersion() version: Microversion,
    @NewResourceId() newId: NewResourceIdValue,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const server = await this.compute.visibleServer(ctx, id);
    requireWriter(ctx, 'os_compute_api:os-attach-interfaces:create');
    const request = attachRequestOf(parseBody(attachInterfaceSchema, body).interfaceAttachment);
    assertNotLocked(ctx, server);
    const port = await this.attachments.attach(ctx, server, request, requestId, newId.id);
    return { interfaceAttachment: interfaceAttachmentJson(port, version) };
  }

  @Delete(':portId')
  @HttpCode(202)
  @NoReplyBody()
  async detach(@Ctx() ctx: RequestContext, @RequestId() requestId: string, @Param('id') id: string, @Param('portId') portId: string): Promise<void> {
    const server = await this.compute.visibleServer(ctx, id);
    requireWriter(ctx, 'os_compute_api:os-attach-interfaces:delete');
    assertNotLocked(ctx, server);
    await this.attachments.detach(ctx, server, portId, requestId);
  }
}
