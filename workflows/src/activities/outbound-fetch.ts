import { ActionError, type FetchLike } from '@hourglass/nodes';
import { OutboundError, type OutboundPolicy, outboundFetch } from '@hourglass/outbound';

/**
 * Actions reach the world through the outbound client only. A refused destination or a redirect
 * is permanent (retrying cannot change the answer); the remote body is read by no one.
 */
export function guardedFetch(policy: OutboundPolicy): FetchLike {
  return async (url, init) => {
    try {
      return await outboundFetch(policy, url, init);
    } catch (e) {
      if (e instanceof OutboundError && e.code !== 'outbound.failed')
        throw new ActionError(e.code, `${init.method} ${url} refused: ${e.message}`, false);
      throw e;
    }
  };
}
