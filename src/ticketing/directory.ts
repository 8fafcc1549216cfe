import type { RequesterDirectory } from '../channels/types.js';
import type { Store } from './db/sql.js';
import type { TicketOps } from './ops.js';
import { findRequesterByIdentities, getRequester, identitiesOf, type RequesterProfileInput } from './requesters.js';
import { listTicketsPage } from './tickets-repo.js';
import { OPEN_STATUSES } from './types.js';
import type { Requester } from './types.js';

/** The requester directory channels read, plus the HR/LDAP upsert behind `PUT /api/v1/requesters/:id`. */
export interface StoreDirectory extends RequesterDirectory {
  upsert(externalId: string, profile: RequesterProfileInput): Promise<Requester>;
}

export function createDirectory(deps: { store: Store; ops: TicketOps }): StoreDirectory {
  const { store, ops } = deps;
  return {
    get: (id) => store.read((q) => getRequester(q, id)),
    find: (identity) => store.read(async (q) => (await findRequesterByIdentities(q, identitiesOf(identity)))?.requester),
    openTickets: (requesterId) => store.read(async (q) => (await listTicketsPage(q, { requesterId, status: [...OPEN_STATUSES], limit: 1000 }, new Date())).tickets),
    complete: (who) => store.withTx((tx) => ops.resolveRequester(tx, who)),
    upsert: (externalId, profile) => store.withTx((tx) => ops.upsertRequester(tx, externalId, profile)),
  };
}
