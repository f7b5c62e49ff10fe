import { describe, expect, it } from 'vitest';
import { pickAssignee } from './staff-directory.js';

const team = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];

describe('pickAssignee (round robin by load)', () => {
  it('takes the least loaded member; absent counts are 0', () => {
    expect(pickAssignee(team, { a: 3, b: 1, c: 2 })?.id).toBe('b');
    expect(pickAssignee(team, new Map([['a', 1]]))?.id).toBe('b');
  });

  it('among equals, the next one after the last assignee, wrapping around', () => {
    expect(pickAssignee(team, {}, null)?.id).toBe('a');
    expect(pickAssignee(team, {}, 'a')?.id).toBe('b');
    expect(pickAssignee(team, {}, 'c')?.id).toBe('a');
    expect(pickAssignee(team, { a: 0, b: 1, c: 0 }, 'a')?.id).toBe('c');
    expect(pickAssignee(team, {}, 'gone')?.id).toBe('a');
  });

  it('no members: nobody', () => {
    expect(pickAssignee([], {})).toBeNull();
  });
});
