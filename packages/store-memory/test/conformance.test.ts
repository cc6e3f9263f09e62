import { runStoreConformance } from '@threadline/testkit';
import { createMemoryStore } from '../src/index';

runStoreConformance(({ clock }) => createMemoryStore({ clock }), { name: 'memory store' });
