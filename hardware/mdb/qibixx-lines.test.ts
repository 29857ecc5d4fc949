import { describe, expect, it } from 'vitest';
import { parseAdapterLine, qibixxCommand, type AdapterLine } from './qibixx-lines.ts';

describe('parseAdapterLine', () => {
  it.each<[string, AdapterLine]>([
    ['c,STATUS,INACTIVE', { type: 'status', status: 'inactive' }],
    ['c,STATUS,DISABLED', { type: 'status', status: 'disabled' }],
    ['c,STATUS,ENABLED', { type: 'status', status: 'enabled' }],
    ['c,STATUS,IDLE', { type: 'sessionIdle', fundsMinor: null }],
    ['c,STATUS,IDLE,3.00', { type: 'sessionIdle', fundsMinor: 300 }],
    ['c,STATUS,IDLE,0.10', { type: 'sessionIdle', fundsMinor: 10 }],
    ['c,STATUS,VEND,1.50,3', { type: 'vendRequest', priceMinor: 150, item: 3 }],
    ['c,STATUS,VEND,0.05,65535', { type: 'vendRequest', priceMinor: 5, item: 65535 }],
    ['c,VEND,SUCCESS', { type: 'vendSuccess' }],
    ['c,ERR,"VEND 3"', { type: 'error', kind: 'vendFailed', text: 'VEND 3' }],
    ['c,ERR,"VEND 1"', { type: 'error', kind: 'vendCancelled', text: 'VEND 1' }],
    ['c,ERR,"VEND 5"', { type: 'error', kind: 'vmcReset', text: 'VEND 5' }],
    ['c,ERR,"START -3"', { type: 'error', kind: 'startRefused', text: 'START -3' }],
    ['c,ERR,"VEND -3"', { type: 'error', kind: 'wrongState', text: 'VEND -3' }],
    ['c,ERR,"cashless is on"', { type: 'error', kind: 'cashlessOn', text: 'cashless is on' }],
    ['c,ERR,VEND 3', { type: 'error', kind: 'vendFailed', text: 'VEND 3' }],
    ['c,ERR,"something, else"', { type: 'error', kind: 'other', text: 'something, else' }],
    ['c,SET,OK', { type: 'setOk' }],
    ['v,4.0.2.0,SIM', { type: 'version', version: '4.0.2.0', cpuId: 'SIM' }],
    ['v,3.1', { type: 'version', version: '3.1', cpuId: '' }],
    ['r,ACK', { type: 'ack' }],
    ['c,1', { type: 'online' }],
    ['c,STATUS,ONLINE', { type: 'online' }],
  ])('%s', (line, event) => {
    expect(parseAdapterLine(line)).toEqual(event);
  });

  it.each([
    ['c,STATUS,VEND,1.50', 'VEND request needs a price and an item'],
    ['c,STATUS,VEND,1.5.0,3', 'VEND request with an unreadable price'],
    ['c,STATUS,VEND,-1.00,3', 'VEND request with an unreadable price'],
    ['c,STATUS,VEND,1.50,x', 'VEND request with an unreadable item number'],
    ['c,STATUS,VEND,1.50,65536', 'VEND request with an unreadable item number'],
    ['c,STATUS,VEND,1.005,3', 'VEND request with an unreadable price'],
    ['c,STATUS,IDLE,abc', 'IDLE with unreadable funds'],
    ['c,STATUS,ENABLED,1', 'extra fields after ENABLED'],
    ['c,STATUS,RESET', 'unrecognised status'],
    ['c,VEND,FAILURE', 'unrecognised VEND result'],
    ['c,SET,NO', 'unrecognised SET reply'],
    ['c,0', 'unrecognised c line'],
    ['d,STATUS,RESET', 'unrecognised line'],
    ['x,80,1234,0A', 'unrecognised line'],
    ['r,NAK', 'unrecognised r line'],
    ['v', 'version line without a version'],
    ['C,STATUS,ENABLED', 'unrecognised line'],
    ['c,STATUS,ENABLED\u0000', 'bytes outside printable ASCII'],
    ['\u00ffc,VEND,SUCCESS', 'bytes outside printable ASCII'],
  ])('%j is unknown: %s', (line, reason) => {
    expect(parseAdapterLine(line)).toEqual({ type: 'unknown', line, reason });
  });

  it('reads amounts at the configured scale', () => {
    expect(parseAdapterLine('c,STATUS,VEND,150,3', 0)).toEqual({
      type: 'vendRequest',
      priceMinor: 150,
      item: 3,
    });
  });
});

describe('qibixxCommand', () => {
  it('formats every command', () => {
    expect(qibixxCommand.version()).toBe('V');
    expect(qibixxCommand.cashlessOff()).toBe('C,0');
    expect(qibixxCommand.cashlessOn()).toBe('C,1');
    expect(qibixxCommand.setConfig('mdb-always-idle', '1')).toBe('C,SETCONF,mdb-always-idle=1');
    expect(qibixxCommand.startSession(300)).toBe('C,START,3.00');
    expect(qibixxCommand.approveVend(5)).toBe('C,VEND,0.05');
    expect(qibixxCommand.denyVend()).toBe('C,VEND,-1');
    expect(qibixxCommand.stop()).toBe('C,STOP');
  });

  it('refuses a setting that would break the line', () => {
    expect(() => qibixxCommand.setConfig('a,b', '1')).toThrow(TypeError);
    expect(() => qibixxCommand.setConfig('mdb-timeout', '1,2')).toThrow(TypeError);
    expect(() => qibixxCommand.setConfig('mdb-timeout', '')).toThrow(TypeError);
  });

  it('refuses a fractional amount', () => {
    expect(() => qibixxCommand.approveVend(1.5)).toThrow(RangeError);
  });
});
