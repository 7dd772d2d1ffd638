import { describe, expect, it } from 'vitest';
import { replaceAll } from '../../../renderer/src/containers/live-list-model.ts';
import { compareNetworks, filterNetworks, networkEventEffect, networkListInput } from '../../../renderer/src/networks/network-list-model.ts';
import { network } from '../../helpers/network-items.ts';


const web = { id: 'w'.repeat(64), name: 'web', interface: 'eth0', addresses: ['10.89.1.2/24'], aliases: ['www'] };
const front = network('front', { containers: [web], labels: { team: 'a' } });
const back = network('back', { subnets: [{ subnet: '10.89.40.0/24', gateway: '10.89.40.254' }] });
const fallback = network('podbay', { isDefault: true, interface: 'podbay0' });
const state = replaceAll([front, back, fallback], compareNetworks);

describe('the Networks list', () => {
  it('puts the default network first, then sorts by name', () => {
    expect(state.items.map((n) => n.name)).toEqual(['podbay', 'back', 'front']);
  });

  it('drops a removed network, fetches one again on any other network event', () => {
    expect(networkEventEffect({ type: 'network', action: 'remove', id: back.id }, state)).toEqual({ remove: [back.id], refresh: [] });
    for (const action of ['create', 'connect', 'disconnect']) expect(networkEventEffect({ type: 'network', action, id: back.id }, state)).toEqual({ remove: [], refresh: [back.id] });
  });

  it('refreshes the networks a container is on when it starts, dies, is renamed or removed; every one when a container is created', () => {
    for (const action of ['start', 'died', 'rename', 'remove']) expect(networkEventEffect({ type: 'container', action, id: web.id }, state)).toEqual({ remove: [], refresh: [front.id] });
    expect(networkEventEffect({ type: 'container', action: 'start', id: 'x'.repeat(64) }, state)).toEqual({ remove: [], refresh: [] });
    expect(networkEventEffect({ type: 'container', action: 'create', id: 'x'.repeat(64) }, state).refresh.slice().sort()).toEqual([back.id, front.id, fallback.id].sort());
    expect(networkEventEffect({ type: 'container', action: 'exec', id: web.id }, state).refresh).toEqual([]);
    expect(networkEventEffect({ type: 'image', action: 'pull', id: 'i' }, state).refresh).toEqual([]);
  });

  it('asks for every network or only some by id', () => {
    expect(networkListInput({ kind: 'full' })).toEqual({});
    expect(networkListInput({ kind: 'ids', ids: ['a', 'b'] })).toEqual({ filters: { id: ['a', 'b'] } });
  });

  it('searches names, subnets, gateways, containers, labels and id prefixes', () => {
    const names = (text: string) => filterNetworks(state.items, text).map((n) => n.name);
    expect(names('')).toEqual(['podbay', 'back', 'front']);
    expect(names('10.89.40')).toEqual(['back']);
    expect(names('web')).toEqual(['front']);
    expect(names('team=a')).toEqual(['front']);
    expect(names('podbay0')).toEqual(['podbay']);
    expect(names(back.id.slice(0, 6))).toEqual(['back']);
    expect(names('front nomatch')).toEqual([]);
  });
});
