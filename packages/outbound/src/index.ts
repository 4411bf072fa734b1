export {
  asOutboundError,
  dispatcherFor,
  type OutboundInit,
  type OutboundResponse,
  outboundFetch,
} from './fetch';
export { guardedDispatcher, guardedLookup, guardedNodeAgents } from './guard';
export {
  type AllowEntry,
  checkAddress,
  checkUrl,
  isAllowListed,
  isPublicAddress,
  OutboundError,
  type OutboundPolicy,
  outboundPolicyFromEnv,
  parseAllowList,
  portOf,
  STRICT_POLICY,
} from './policy';
