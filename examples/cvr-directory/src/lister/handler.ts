import type { ComponentListerHandler } from '@ocm-plugin-kit/sdk';
import type { ComponentDirectorySpec } from '../spec.js';
import { ComponentStore } from '../store.js';

const DEFAULT_PAGE_SIZE = 500;

const handler: ComponentListerHandler<ComponentDirectorySpec> = {
  async listComponents({ repository, last }) {
    const all = await new ComponentStore(repository.path).listComponents();
    const size = repository.pageSize ?? DEFAULT_PAGE_SIZE;
    // `last` is exclusive; a name that no longer exists still orders correctly.
    const start = last === '' ? 0 : all.findIndex((c) => c > last);
    const list = start < 0 ? [] : all.slice(start, start + size);
    const more = start >= 0 && start + size < all.length;
    return more ? { list, header: { last: list[list.length - 1] ?? '' } } : { list };
  },
};
export default handler;
