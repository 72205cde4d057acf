import { actionOf, endsTask } from '../../../src/projections/audit/audit-action.js';

describe('audit actions of the live changes', () => {
  it.each([
    ['VMHotResized', 'hotResize'],
    ['VMLiveMigrated', 'live-migration'],
    ['VMResized', 'resize'],
    ['VMResizeReverted', 'revertResize'],
  ])('given %s, then it ends the task and names the action %s', (type, action) => {
    expect(endsTask(type)).toBe(true);
    expect(actionOf(type, { taskId: 't' })).toBe(action);
  });

  it('given a confirmResize (no task), then the audit names it confirmResize', () => {
    expect(actionOf('VMResizeConfirmed', { vmId: 'v', flavorId: '2' })).toBe('confirmResize');
    expect(endsTask('VMResizeConfirmed')).toBe(false);
  });

  it('given a hot resize or migration request, then the action comes from its task', () => {
    expect(actionOf('VMHotResizeRequested', { task: { taskId: 't', action: 'hotResize' } })).toBe('hotResize');
    expect(actionOf('VMLiveMigrationRequested', { task: { taskId: 't', action: 'live-migration' } })).toBe('live-migration');
  });
});
