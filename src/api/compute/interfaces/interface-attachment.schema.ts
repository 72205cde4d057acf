import { z } from 'zod';

/** Nova's os-interface create body: a port, or a network (with optional fixed IPs) to make a port on. */
export const attachInterfaceSchema = z.strictObject({
  interfaceAttachment: z.strictObject({
    port_id: z.string().min(1).max(255).optional(),
    net_id: z.string().min(1).max(255).optional(),
    fixed_ips: z.array(z.strictObject({ ip_address: z.string().min(1).max(64) })).min(1).max(1000).optional(),
    /** 2.49+: a device tag; accepted, not kept (this cloud has no device metadata yet). */
    tag: z.string().max(60).optional(),
  }),
});
