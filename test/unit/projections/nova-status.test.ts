import { novaStatus } from '../../../src/domain/virtual-machine/nova-status.js';

describe('novaStatus', () => {
  it.each([
    ['building', 'scheduling', 'BUILD'],
    ['active', null, 'ACTIVE'],
    ['active', 'powering-off', 'ACTIVE'],
    ['active', 'rebooting', 'REBOOT'],
    ['active', 'rebooting_hard', 'HARD_REBOOT'],
    ['stopped', null, 'SHUTOFF'],
    ['stopped', 'powering-on', 'SHUTOFF'],
    ['paused', 'unpausing', 'PAUSED'],
    ['error', null, 'ERROR'],
    ['error', 'deleting', 'ERROR'],
    ['deleted', null, 'DELETED'],
  ] as const)('given vm_state %s and task_state %s, then status is %s', (vmState, taskState, status) => {
    expect(novaStatus(vmState, taskState)).toBe(status);
  });
});
